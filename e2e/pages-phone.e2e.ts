import { customerAsks } from "./support/widget-page.ts";
import { expect, test, type BrowserContext } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { E2E_PORT, startOwnInstance } from "./support/own-instance.ts";
import { expectFitsPhone, phonePage } from "./support/phone.ts";
import { signInThroughPage } from "./support/sign-in.ts";

// Every agent page on a phone (390x844, touch): nothing makes the page scroll sideways (a table
// may scroll inside its own box), and axe-core finds nothing, in the light scheme and the dark.
// The inbox's list → conversation → contact on a phone: inbox-phone.e2e.ts.

test("a new install's setup page fits a phone", async ({ browser }) => {
  const own = await startOwnInstance(E2E_PORT + 13);
  const contexts: BrowserContext[] = [];
  try {
    const page = await phonePage(browser, own.url, contexts);
    await page.goto("/setup");
    await expect(page.getByRole("button", { name: /Create/ })).toBeVisible();
    await expectFitsPhone(page);
  } finally {
    for (const context of contexts) await context.close();
    await own.stop();
  }
});

test("sign-in, the inbox's tabs, the menu, a conversation and its contact, tickets and analytics fit a phone", async ({ browser, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  const contexts: BrowserContext[] = [];
  const ids: string[] = [];
  try {
    // Something in every tab: one waiting, one claimed and answered, one closed.
    const tag = crypto.randomUUID().slice(0, 8);
    const key = await api.defaultInboxKey();
    for (const what of ["waiting", "answered", "closed"]) await customerAsks(request, key, `Phone ${what} ${tag} with a rather long first message that has to wrap`);
    const [waiting, answered, closed] = [(await api.conversationWith(`waiting ${tag}`))!, (await api.conversationWith(`answered ${tag}`))!, (await api.conversationWith(`closed ${tag}`))!];
    ids.push(waiting, answered);
    await api.claim(answered);
    await api.reply(answered, "Happy to help with that: https://example.com/a/very/long/link/that/must/not/widen/the/page/at/all/0123456789");
    await api.close(closed);

    const page = await phonePage(browser, baseURL!, contexts);
    await page.goto("/login");
    await expectFitsPhone(page);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").first()).toBeVisible();
    await expectFitsPhone(page);
    await signInThroughPage(page, ADMIN);
    await expect(page.locator("#live-status")).toHaveAttribute("data-state", "live");
    // Snoozed may be empty: its tab being current says its list has come (the tabs come with it).
    for (const tab of ["Queue", "Mine", "All open", "Snoozed", "Closed"]) {
      const link = page.getByRole("navigation", { name: "Conversation tabs" }).getByRole("link", { name: new RegExp(`^${tab}`) });
      await link.click();
      await expect(link).toHaveAttribute("aria-current", "page");
      if (tab !== "Snoozed") await expect(page.locator("[id^=conv-row-]").first()).toBeVisible();
      await expectFitsPhone(page);
    }
    // The header's menu, open.
    await page.getByRole("button", { name: "Menu" }).click();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await expectFitsPhone(page);

    await page.goto(`/inbox/c/${answered}`);
    await expect(page.getByRole("textbox", { name: "Reply" })).toBeVisible();
    await expectFitsPhone(page);
    await page.getByRole("link", { name: "Contact" }).click();
    await expect(page.getByRole("heading", { name: "Contact" })).toBeVisible();
    await expectFitsPhone(page);

    // Tickets: a new one from the conversation, the ticket, the list.
    await page.goto(`/tickets/new?conversation=${answered}`);
    await expectFitsPhone(page);
    await page.getByRole("button", { name: "Create ticket" }).click();
    await expect(page).toHaveURL(/\/tickets\/\d+$/);
    await expectFitsPhone(page);
    await page.goto("/tickets?status=any");
    await expect(page.locator("#ticket-rows tr").first()).toBeVisible();
    await expectFitsPhone(page);
    await page.goto("/analytics");
    await expect(page.getByRole("heading", { name: "Tickets by status and priority" })).toBeVisible();
    await expectFitsPhone(page);
  } finally {
    for (const context of contexts) await context.close();
    for (const id of ids) await api.close(id);
    await request.dispose();
  }
});

test("every settings page, a saved reply's and an inbox's, the profile, and an invite fit a phone", async ({ browser, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const request = await playwright.request.newContext({ baseURL });
  await signedInAgent(request, baseURL!); // the install has its admin
  await request.dispose();
  const contexts: BrowserContext[] = [];
  const tag = crypto.randomUUID().slice(0, 8);
  try {
    const page = await phonePage(browser, baseURL!, contexts);
    await signInThroughPage(page, ADMIN);
    for (const path of ["/settings", "/settings/replies", "/settings/agents", "/settings/account", "/settings/jobs", "/settings/labels", "/settings/profile"]) {
      await page.goto(path);
      await expectFitsPhone(page);
    }
    await page.goto("/settings/replies");
    await page.getByLabel("Name").fill(`Phone reply ${tag}`);
    await page.getByLabel("Shortcut").fill(`phone-${tag}`);
    await page.getByLabel("Text", { exact: true }).fill("Thanks for your patience.");
    await page.getByRole("button", { name: "Add reply" }).click();
    await expect(page.getByRole("status").filter({ hasText: "The saved reply was added." })).toBeVisible();
    await expectFitsPhone(page);
    await page.locator('a[href^="/settings/replies/"]').first().click();
    await expect(page).toHaveURL(/\/settings\/replies\/[0-9a-f-]{36}/);
    await expectFitsPhone(page);
    await page.goto("/settings");
    await page.locator('a[href^="/settings/inboxes/"]').first().click();
    await expect(page.getByRole("button", { name: "Save changes" })).toBeVisible();
    await expectFitsPhone(page);

    // An invite, and the page it leads to.
    await page.goto("/settings/agents");
    await page.getByLabel("Email").fill(`phone-${tag}@example.com`);
    await page.getByLabel("Role").selectOption("agent");
    await page.getByRole("button", { name: "Send invite" }).click();
    const link = await page.getByLabel(/Invite link for/).inputValue();
    await expectFitsPhone(page);
    const colleague = await phonePage(browser, baseURL!, contexts);
    await colleague.goto(link);
    await expect(colleague.getByRole("heading", { name: "Join SupportDesk" })).toBeVisible();
    await expectFitsPhone(colleague);
  } finally {
    for (const context of contexts) await context.close();
  }
});
