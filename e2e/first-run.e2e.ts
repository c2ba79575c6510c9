import { expect, test, type Page } from "@playwright/test";
import { expectAccessibleEverywhere } from "./support/accessibility.ts";
import { ADMIN } from "./support/agent-api.ts";

/** Signs in as the admin from the login page. */
async function signIn(page: Page) {
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a new install: /setup creates the admin and signs them in, sign-out locks the inbox again", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Welcome to SupportDesk" })).toBeVisible();
  await expectAccessibleEverywhere(page);

  // A mistake first: the form says what is wrong and keeps what was typed.
  await page.getByLabel("Name").fill(ADMIN.name);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue("ana@example.com");
  await expectAccessibleEverywhere(page);

  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin account" }).click();

  // Straight into the inbox, signed in: no second form to fill.
  await expect(page).toHaveURL(/\/inbox$/);
  await expect(page.getByRole("heading", { name: "Inbox", level: 1 })).toBeVisible();
  await expect(page.getByText("No conversations yet")).toBeVisible();
  await expect(page.getByText("Ana Admin")).toBeVisible();
  // htmx's ws extension connected to /ws/inbox and swapped in the server's out-of-band push.
  await expect(page.locator("#live-status")).toHaveAttribute("data-state", "live");

  // Setup is done for good: it now leads to sign-in.
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/login$|\/inbox$/);

  await page.goto("/inbox");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/inbox");
  await expect(page).toHaveURL(/\/login\?next=%2Finbox$/);
});

test("the empty inbox's checklist: the snippet with a copy button, the demo, each step ticked when done, and Dismiss", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  await page.goto("/login");
  await signIn(page);
  const checklist = page.getByRole("region", { name: "Get started" });
  const step = (name: string) => checklist.getByRole("listitem").filter({ has: page.getByRole("heading", { name }) });
  await expect(checklist).toBeVisible();
  await expect(step("Put the chat widget on your website")).toContainText("(to do)");
  await expect(step("Invite a teammate")).toContainText("(to do)");
  await expect(step("Set your business hours")).toContainText("(to do)");
  await expectAccessibleEverywhere(page);

  const snippet = await checklist.getByLabel(/Paste this/).inputValue();
  expect(snippet).toMatch(/<script src="http:\/\/127\.0\.0\.1:\d+\/widget\.js" data-inbox="[^"]+" async><\/script>/);
  await checklist.getByRole("button", { name: "Copy snippet" }).click();
  await expect(checklist.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
  await expect(checklist.getByRole("link", { name: "Try it on the demo page" })).toHaveAttribute("href", "/demo");

  /** Business hours on or off in the inbox's settings (the checklist links there), then back to the inbox. */
  const setHours = async (on: boolean) => {
    await checklist.getByRole("link", { name: /Set hours/ }).click();
    await page.getByRole("checkbox", { name: "Set business hours" }).setChecked(on);
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
    await page.goto("/inbox");
  };
  await setHours(true);
  await expect(step("Set your business hours")).toContainText("(done)");
  await expect(checklist).toContainText("1 of 3 done");
  // Always open again: the later specs' customers must find the team in.
  await setHours(false);
  await expect(step("Set your business hours")).toContainText("(to do)");

  await checklist.getByRole("button", { name: "Dismiss this checklist" }).click();
  await expect(checklist).toHaveCount(0);
  await page.reload();
  await expect(page.locator("#live-status")).toHaveAttribute("data-state", "live");
  await expect(page.getByRole("region", { name: "Get started" })).toHaveCount(0);
  await context.close();
});

test("a wrong password is refused with a message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("That email and password do not match an active account.");
  await expect(page).toHaveURL(/\/login$/);
});

test("the inbox goes live even when its scripts arrive slowly and out of order", async ({ page }) => {
  // htmx must not start before its ws extension has registered, however the downloads race.
  await page.route("**/public/vendor/hx-ws.min.js", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.continue();
  });
  await page.goto("/login");
  await signIn(page);
  await expect(page).toHaveURL(/\/inbox$/);
  await expect(page.locator("#live-status")).toHaveAttribute("data-state", "live");
});
