import { expect, test, type Page } from "@playwright/test";
import { smtpCapture, type SmtpCapture } from "../src/testing/smtp-capture.ts";
import { expectAccessibleEverywhere } from "./support/accessibility.ts";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { signedInPage } from "./support/sign-in.ts";
import { E2E_PORT, startOwnInstance } from "./support/own-instance.ts";

// "Forgot password?" (issue 18 item 12). With SMTP (a SupportDesk of its own, mailing this
// process) the sign-in page's link emails a one-time link; using it signs the agent out everywhere
// else. An admin can make such a link for a teammate in Settings → Agents, email or not.

const PORT = E2E_PORT + 13;
const BASE = `http://127.0.0.1:${PORT}`;
const BEN = { name: "Ben Agent", email: "ben@example.com", password: "bens first password" };

let mail: SmtpCapture;
let server: Awaited<ReturnType<typeof startOwnInstance>> | undefined;

test.use({ baseURL: BASE });
test.beforeAll(async () => {
  mail = await smtpCapture();
  server = await startOwnInstance(PORT, { SMTP_URL: mail.url, MAIL_FROM: "Shop Support <support@example.com>" });
});
test.afterAll(async () => {
  await server?.stop();
  await mail?.close();
});

test("forgot password: the emailed link sets a new password and ends the other sessions", async ({ browser, playwright }) => {
  const request = await playwright.request.newContext({ baseURL: BASE });
  await signedInAgent(request, BASE); // makes the admin
  await request.dispose();
  const before = await signedInPage(browser, BASE, ADMIN);

  const page = await (await browser.newContext({ baseURL: BASE })).newPage();
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await expectAccessibleEverywhere(page);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account uses that address, an email with a link");

  const email = await mail.nth(1, ADMIN.email);
  const link = /http:\/\/127\.0\.0\.1:\d+\/reset-password\/[A-Za-z0-9_-]{43}/.exec(String(email.parsed.text))![0];
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await expectAccessibleEverywhere(page);
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
  await page.getByLabel("New password").fill("a new long password");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/inbox$/);
  await expect(page.locator("#live-status")).toHaveAttribute("data-state", "live");

  // The session from before the reset is over.
  await before.reload();
  await expect(before).toHaveURL(/\/login/);
  // The link worked once.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "This reset link does not work" })).toBeVisible();
  await before.context().close();
  await page.context().close();
});

test("an admin makes a one-time reset link for a teammate in Settings → Agents", async ({ browser }) => {
  const admin = await signedInPage(browser, BASE, { ...ADMIN, password: "a new long password" });
  // Ben joins through an invite (with SMTP it is emailed).
  await admin.goto("/settings/agents");
  await admin.getByLabel("Email").fill(BEN.email);
  await admin.getByRole("button", { name: "Send invite" }).click();
  const invite = /http:\/\/127\.0\.0\.1:\d+\/invites\/[A-Za-z0-9_-]{43}/.exec(String((await mail.nth(1, BEN.email)).parsed.text))![0];
  const ben = await (await browser.newContext({ baseURL: BASE })).newPage();
  await ben.goto(invite);
  await ben.getByLabel("Name").fill(BEN.name);
  await ben.getByLabel("Password").fill(BEN.password);
  await ben.getByRole("button", { name: "Create account" }).click();
  await expect(ben).toHaveURL(/\/inbox/);

  await admin.goto("/settings/agents");
  await admin.getByRole("row", { name: new RegExp(BEN.name) }).getByRole("button", { name: "Reset password" }).click();
  await expect(admin.getByRole("heading", { name: "Password reset link" })).toBeVisible();
  await expectAccessibleEverywhere(admin);
  const link = await admin.getByLabel(/Reset link for Ben Agent/).inputValue();
  expect(link).toMatch(/\/reset-password\/[A-Za-z0-9_-]{43}$/);

  const other = await (await browser.newContext({ baseURL: BASE })).newPage();
  await other.goto(link);
  await other.getByLabel("New password").fill("bens second password");
  await other.getByRole("button", { name: "Set new password" }).click();
  await expect(other).toHaveURL(/\/inbox$/);
  await ben.reload();
  await expect(ben).toHaveURL(/\/login/);
  for (const p of [admin, ben, other]) await p.context().close();
});
