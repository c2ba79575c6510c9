import { expect, test } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { expectAccessible } from "./support/accessibility.ts";
import { signedInPage } from "./support/sign-in.ts";

// One look (issue 18): pages follow the system's light or dark unless the agent chose a look in
// Settings → Profile → Appearance (every page's axe scan in both looks is pages-accessibility.e2e.ts);
// the inbox's tab bar never wraps and analytics tables are never cut off, however narrow the window.

test("the profile's appearance overrides the system's light or dark, on every page from its first paint", async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  const admin = await signedInPage(browser, baseURL!, ADMIN);
  const background = () => admin.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const LIGHT = "rgb(246, 247, 249)";
  const DARK = "rgb(13, 17, 23)";
  const choose = async (theme: "System" | "Light" | "Dark") => {
    await admin.goto("/settings/profile");
    await admin.getByRole("radio", { name: theme }).check();
    await admin.getByRole("button", { name: "Save appearance" }).click();
    await expect(admin.getByText("Your appearance was saved.")).toBeVisible();
  };
  try {
    // System: the pages follow the device.
    await admin.emulateMedia({ colorScheme: "dark" });
    await admin.goto("/inbox");
    expect(await background()).toBe(DARK);
    await admin.emulateMedia({ colorScheme: "light" });
    expect(await background()).toBe(LIGHT);

    // Dark while the device is light, on the next page too; the server sends it in the page itself.
    await choose("Dark");
    expect(await background()).toBe(DARK);
    await admin.goto("/tickets");
    expect(await background()).toBe(DARK);
    expect(await (await admin.request.get("/analytics")).text()).toContain('<html lang="en" data-theme="dark">');
    await expectAccessible(admin);

    // Light while the device is dark.
    await admin.emulateMedia({ colorScheme: "dark" });
    await choose("Light");
    expect(await background()).toBe(LIGHT);
    await admin.goto("/inbox");
    expect(await background()).toBe(LIGHT);
  } finally {
    await choose("System");
    expect(await background()).toBe(DARK);
    await admin.context().close();
  }
});

test("the inbox's tab bar stays one row, and analytics tables show whole inside their cards", async ({ browser, baseURL, playwright }) => {
  // A ticket, so that analytics has its widest table (tickets by status and priority).
  const request = await playwright.request.newContext({ baseURL });
  await signedInAgent(request, baseURL!);
  const ticket = await request.post("/tickets", {
    form: { conversationId: "", subject: `Wide table ${crypto.randomUUID()}`, description: "", priority: "normal", status: "open", assigneeId: "" },
    headers: { origin: new URL(baseURL!).origin },
    maxRedirects: 0,
  });
  expect(ticket.status()).toBe(303);
  await request.dispose();
  const admin = await signedInPage(browser, baseURL!, ADMIN);
  try {
    for (const width of [1280, 900, 600]) {
      await admin.setViewportSize({ width, height: 800 });
      await admin.goto("/inbox");
      await expect(admin.locator("#inbox-tabs .tab-count").first()).toBeVisible();
      const tops = await admin.locator("#inbox-tabs a").evaluateAll((tabs) => tabs.map((tab) => Math.round(tab.getBoundingClientRect().top)));
      expect(tops.length, `tabs at ${width}px`).toBe(5);
      expect(new Set(tops).size, `rows of tabs at ${width}px`).toBe(1);
    }
    for (const width of [1280, 900, 850]) {
      await admin.setViewportSize({ width, height: 800 });
      await admin.goto("/analytics");
      await expect(admin.getByRole("region", { name: /Tickets created in these days/ })).toBeVisible();
      // Every table's box is as wide as its table (nothing hidden to the right) and inside its card.
      const cut = await admin.locator(".figure-table, .table-scroll").evaluateAll((boxes) =>
        boxes
          .filter((box) => box.scrollWidth > box.clientWidth + 1 || box.getBoundingClientRect().right > box.closest(".figure")!.getBoundingClientRect().right)
          .map((box) => box.querySelector("caption, th")?.textContent ?? box.className),
      );
      expect(cut, `tables cut off at ${width}px`).toEqual([]);
    }
  } finally {
    await admin.context().close();
  }
});
