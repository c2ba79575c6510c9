import { expect, test } from "@playwright/test";
import { ADMIN } from "./support/agent-api.ts";
import { expectAccessible } from "./support/accessibility.ts";
import { signedInPage } from "./support/sign-in.ts";

// Light and dark (issue 18): pages follow the system's setting unless the agent chose a look in
// Settings → Profile → Appearance; every page's axe scan in both looks is pages-accessibility.e2e.ts.

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
