import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN } from "./support/agent-api.ts";

/** axe-core finds nothing on the page as it is now (the other pages: pages-accessibility.e2e.ts). */
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`))).toEqual([]);
}

/** Signs in as the admin from the login page. */
async function signIn(page: Page) {
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a new install: /setup creates the admin, sign-in reaches the live inbox, sign-out locks it again", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Welcome to SupportDesk" })).toBeVisible();
  await expectAccessible(page);

  // A mistake first: the form says what is wrong and keeps what was typed.
  await page.getByLabel("Name").fill(ADMIN.name);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue("ana@example.com");
  await expectAccessible(page);

  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page).toHaveURL(/\/login\?welcome=1$/);
  await expect(page.getByRole("status")).toHaveText("Your admin account is ready. Sign in to open the inbox.");

  await signIn(page);

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
