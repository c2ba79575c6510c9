import { expect, test, type Browser, type Page } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { recordPolicyViolations } from "./support/csp-recorder.ts";
import { signInThroughPage } from "./support/sign-in.ts";
import { startHostPage } from "./support/host-page.ts";
import { E2E_PORT, startOwnInstance } from "./support/own-instance.ts";
import { launcher, messageField, snippetFor, transcript, typeMessage, waitInQueue, widget } from "./support/widget-page.ts";

// Every page, used a little, under the policies the server sends (src/http/security-headers.ts):
// not one CSP violation, refused resource, policy warning or uncaught error in any frame. These
// tests run against a SupportDesk of their own, so that they see /setup of a new install
// whatever order the suite runs in; the rest of the suite's server is left alone.

const PORT = E2E_PORT + 3;
const BASE = `http://127.0.0.1:${PORT}`;
let server: Awaited<ReturnType<typeof startOwnInstance>> | undefined;

test.describe.configure({ mode: "serial" });
test.use({ baseURL: BASE });
test.beforeAll(async () => {
  server = await startOwnInstance(PORT);
});
test.afterAll(async () => {
  await server?.stop();
});

/** A browser context whose every frame is watched from its first script on. */
async function watchedPage(browser: Browser) {
  const context = await browser.newContext({ baseURL: BASE });
  const violations = await recordPolicyViolations(context);
  return { page: await context.newPage(), violations };
}

/**
 * Proves the recorder sees this frame: a style attribute set from script is refused by a CSP
 * without 'unsafe-inline' (and reported); then forgets that report.
 */
async function expectRecorderWorks(run: (code: () => void) => Promise<unknown>, violations: { all(): string[]; clear(): void }) {
  await run(() => document.body.setAttribute("style", "outline: 3px solid red"));
  await expect.poll(() => violations.all().join("\n")).toContain("style-src-attr");
  violations.clear();
}

/**
 * Opens an error page and returns its status. Chromium shows its own error page (and goto throws
 * ERR_HTTP_RESPONSE_CODE_FAILURE) when an error answer has an empty body: that case still counts.
 */
async function errorPageStatus(page: Page, path: string): Promise<number> {
  const response = page.waitForResponse((r) => new URL(r.url()).pathname === path);
  await page.goto(path).catch((error: Error) => {
    if (!error.message.includes("ERR_HTTP_RESPONSE_CODE_FAILURE")) throw error;
  });
  return (await response).status();
}

async function signIn(page: Page, who: { email: string; password: string } = ADMIN) {
  await signInThroughPage(page, who);
  await expect(page.locator("#live-status")).toHaveAttribute("data-state", "live");
}

test("a new install: /setup and its error, sign-in and its error, the live inbox", async ({ browser }) => {
  const { page, violations } = await watchedPage(browser);
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expectRecorderWorks((code) => page.evaluate(code), violations);

  await page.getByLabel("Name").fill(ADMIN.name);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  // Setup signs the new admin in; signing out leads to the sign-in page and its error.
  await expect(page).toHaveURL(/\/inbox$/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await signIn(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect(violations.all()).toEqual([]);
  await page.context().close();
});

test("a customer on a shop's page and the team, through every agent page", async ({ browser, playwright }) => {
  test.setTimeout(120_000);
  const host = await startHostPage(BASE);
  const request = await playwright.request.newContext({ baseURL: BASE });
  const api = await signedInAgent(request, BASE);
  const customer = await watchedPage(browser);
  const admin = await watchedPage(browser);
  await admin.page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE });
  try {
    // The widget on a shop's site: open it, write, ask for a human; mute and unmute.
    const question = `Where is my parcel? ${crypto.randomUUID().slice(0, 8)}`;
    await waitInQueue(customer.page, host, snippetFor(BASE, await api.defaultInboxKey()), question);
    await expectRecorderWorks((code) => widget(customer.page).locator("body").evaluate(code), customer.violations);
    await widget(customer.page).getByRole("button", { name: "Mute sounds" }).click();
    await widget(customer.page).getByRole("button", { name: "Turn sounds on" }).click();
    await expect(widget(customer.page).getByRole("button", { name: "Mute sounds" })).toBeVisible();

    // The inbox: tabs, the conversation (accept, reply, the customer answers), the menus.
    const { page } = admin;
    await signIn(page);
    await expectRecorderWorks((code) => page.evaluate(code), admin.violations);
    await page.getByRole("link", { name: /^Queue/ }).click();
    const row = page.locator(".conversation-row", { hasText: question });
    await row.getByRole("button", { name: /^Claim/ }).click();
    await expect(page.locator("#pane").getByText(question)).toBeVisible();
    const reply = page.locator("#pane").getByRole("textbox", { name: "Reply" });
    await reply.fill("Let me check that for you.");
    await reply.press("Enter");
    await expect(transcript(customer.page).getByText("Let me check that for you.")).toBeVisible();
    await typeMessage(customer.page, "Thank you!");
    await messageField(customer.page).press("Enter");
    await expect(page.locator("#pane").getByText("Thank you!")).toBeVisible();
    for (const tab of ["Mine", "Closed", "Queue", "All open"]) {
      await page.getByRole("navigation", { name: "Conversation tabs" }).getByRole("link", { name: new RegExp(`^${tab}`) }).click();
      await expect(page.getByRole("navigation", { name: "Conversation tabs" }).getByRole("link", { name: new RegExp(`^${tab}`) })).toHaveAttribute("aria-current", "page");
    }
    await page.getByLabel("Sound").uncheck();
    await page.getByLabel("Sound").check();
    await page.getByRole("button", { name: /Keyboard shortcuts/ }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await page.keyboard.press("Escape");
    await page.getByRole("search").getByRole("searchbox").or(page.getByRole("search").getByRole("textbox")).fill("nothing like this");
    await expect(page.locator("#conv-list .conversation-row")).toHaveCount(0);
    await page.getByRole("search").getByRole("searchbox").or(page.getByRole("search").getByRole("textbox")).fill("parcel");
    await expect(page.locator("#conv-list .conversation-row")).toHaveCount(1);

    // The conversation as a page; a ticket from it, changed and commented; the list, filtered.
    const conversation = (await api.conversationWith(question))!;
    await page.goto(`/inbox/c/${conversation}`);
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("link", { name: "Create ticket" }).click();
    await expect(page.getByRole("heading", { name: "New ticket" })).toBeVisible();
    await page.getByRole("button", { name: "Create ticket" }).click();
    await expect(page).toHaveURL(/\/tickets\/\d+$/);
    await page.getByLabel("Status").selectOption({ label: "Pending" });
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByLabel("Add an internal comment").fill("Asked the warehouse");
    await page.getByRole("button", { name: "Add comment" }).click();
    await expect(page.getByText("Asked the warehouse").first()).toBeVisible();
    await page.goto("/tickets");
    await page.getByLabel("Search").fill("parcel");
    await expect(page.locator("#ticket-rows tr").first()).toBeVisible();
    await page.goto("/analytics");
    await expect(page.getByRole("heading", { name: "Tickets by status and priority" })).toBeVisible();

    // Settings: the snippet copied (public/copy-text.js), an inbox's page (its script, a refused
    // value), invites, the profile, the account.
    await page.goto("/settings");
    await page.getByRole("button", { name: "Copy snippet" }).first().click();
    await expect(page.getByRole("button", { name: "Copied" }).first()).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain("/widget.js");
    await page.locator('a[href^="/settings/inboxes/"]').first().click();
    const inboxSettings = page.url();
    const questions = await page.getByRole("group", { name: /^Question \d+$/ }).count();
    await page.getByRole("button", { name: "Add a question" }).click();
    await expect(page.getByRole("group", { name: `Question ${questions + 1}` })).toBeVisible();
    await expect(page.getByRole("textbox", { name: "Keywords (comma-separated)" }).last()).toBeFocused();
    await page.getByRole("button", { name: `Remove question ${questions + 1}` }).click();
    await expect(page.getByRole("group", { name: /^Question \d+$/ })).toHaveCount(questions);
    await page.getByRole("button", { name: "Copy snippet" }).click();
    await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Copied" })).toHaveCount(1);
    // The colour picker posts only valid colours: a refused website line instead.
    await page.getByLabel("Websites that may show this chat").fill("shop.example/path");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByLabel("Websites that may show this chat")).toHaveAttribute("aria-invalid", "true");
    await page.goto("/settings/agents");
    await page.getByLabel("Email").fill(`cleo-${crypto.randomUUID().slice(0, 8)}@example.com`);
    await page.getByLabel("Role").selectOption("agent");
    await page.getByRole("button", { name: "Send invite" }).click();
    const invite = await page.getByLabel(/Invite link for/).inputValue();
    await page.goto("/settings/profile");
    await page.goto("/settings/account");
    expect(await errorPageStatus(page, "/no-such-page")).toBe(404);

    // A new colleague: the invite (and its error), the inbox, an admin's page refused.
    const colleague = await watchedPage(browser);
    await colleague.page.goto(invite);
    await colleague.page.getByLabel("Name").fill("Cleo Agent");
    await colleague.page.getByLabel("Password").fill("short");
    await colleague.page.getByRole("button", { name: "Create account" }).click();
    await expect(colleague.page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
    await colleague.page.getByLabel("Password").fill("a long enough password");
    await colleague.page.getByRole("button", { name: "Create account" }).click();
    await expect(colleague.page).toHaveURL(/\/inbox/);
    await expect(colleague.page.locator("#live-status")).toHaveAttribute("data-state", "live");
    expect((await colleague.page.goto(inboxSettings))?.status()).toBe(403);
    await colleague.page.goto("/invites/not-a-real-token-at-all-0000000000");

    // Our own demo page: its widget, opened, minimised.
    await customer.page.goto(`${BASE}/demo`);
    await launcher(customer.page).click();
    await expect(messageField(customer.page)).toBeVisible();
    await widget(customer.page).getByRole("button", { name: "Minimise chat" }).click();
    await expect(launcher(customer.page)).toHaveAccessibleName(/Open chat/);

    await page.goto("/inbox");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    expect([...customer.violations.all(), ...admin.violations.all(), ...colleague.violations.all()]).toEqual([]);
    await colleague.page.context().close();
  } finally {
    await customer.page.context().close();
    await admin.page.context().close();
    await request.dispose();
    await host.close();
  }
});
