import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { E2E_PORT, startOwnInstance } from "./support/own-instance.ts";
import { signInThroughPage } from "./support/sign-in.ts";

// Every agent page on a phone (390x844, touch): nothing makes the page scroll sideways (a table
// may scroll inside its own box), and axe-core finds nothing, in the light scheme and the dark.
// Then the inbox as a phone shows it: list, conversation, contact, one at a time, with links back.

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const SCHEMES = ["light", "dark"] as const;

async function phonePage(browser: Browser, baseURL: string, contexts: BrowserContext[]): Promise<Page> {
  const context = await browser.newContext({ ...PHONE, baseURL });
  contexts.push(context);
  return context.newPage();
}

/** What sticks out past the right edge of the screen, for a readable failure. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.scrollingElement!.clientWidth;
    // Inside a box that scrolls or clips (an absolutely placed element may escape it: reported).
    const clipped = (el: Element) => {
      if (/absolute|fixed/.test(getComputedStyle(el).position)) return false;
      for (let p = el.parentElement; p; p = p.parentElement) if (/auto|scroll|hidden|clip/.test(getComputedStyle(p).overflowX)) return true;
      return false;
    };
    return Array.from(document.body.querySelectorAll("*"))
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !clipped(el))
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${Array.from(el.classList).join(".")} right=${Math.round(el.getBoundingClientRect().right)}`)
      .slice(0, 8);
  });
}

/** The page as it is now, in each colour scheme: no sideways scroll, no axe-core violation. */
async function expectFitsPhone(page: Page) {
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    const where = `${page.url()} (${colorScheme})`;
    const sideways = await page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth);
    expect(sideways, `${where} scrolls sideways: ${(await overflowing(page)).join(", ")}`).toBeLessThanOrEqual(0);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.flatMap((v) => v.nodes.map((n) => `${where} ${v.id}: ${n.target.join(" ")}`))).toEqual([]);
  }
}

/** A customer over the widget API who asks for a person: their conversation waits in the queue. */
async function customerAsks(request: APIRequestContext, inboxKey: string, text: string) {
  const { token } = await (await request.post("/api/v1/widget/session", { data: { inbox: inboxKey } })).json();
  const auth = { authorization: `Bearer ${token}` };
  await request.post("/api/v1/widget/messages", { data: { clientId: crypto.randomUUID(), body: text }, headers: auth });
  await request.post("/api/v1/widget/handoff", { headers: auth });
}

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
    await expect(page.locator("#live-status")).toHaveText("Live");
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

test("on a phone the inbox shows the list, then a conversation, then its contact, with a way back from each; the header folds into a menu", async ({ browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  const contexts: BrowserContext[] = [];
  const text = `Phone flow ${crypto.randomUUID()}`;
  await customerAsks(request, await api.defaultInboxKey(), text);
  const id = (await api.conversationWith(text))!;
  try {
    await api.claim(id);
    const page = await phonePage(browser, baseURL!, contexts);
    await signInThroughPage(page, ADMIN);
    await expect(page.locator("#live-status")).toHaveText("Live");
    const list = page.getByRole("list", { name: "Conversations" });
    const reply = page.getByRole("textbox", { name: "Reply" });
    const contact = page.getByRole("heading", { name: "Contact", exact: true });
    const composer = page.locator(`#composer-${id}`);
    await page.getByRole("navigation", { name: "Conversation tabs" }).getByRole("link", { name: /^Mine/ }).tap();
    await expect(list).toBeVisible();
    await expect(page.getByRole("region", { name: "Conversation" })).toBeHidden();

    // List → conversation: the list goes, the reply form sits at the foot of the screen.
    await page.locator(`#conv-link-${id}`).tap();
    await expect(page).toHaveURL(`/inbox/c/${id}`);
    await expect(reply).toBeVisible();
    await expect(list).toBeHidden();
    const bottom = async () => ((b) => b!.y + b!.height)(await composer.boundingBox());
    expect(await bottom()).toBeGreaterThan(844 - 8);
    expect(await bottom()).toBeLessThanOrEqual(844);
    // An on-screen keyboard shrinks the viewport (interactive-widget=resizes-content): the form stays above it.
    await page.setViewportSize({ width: 390, height: 480 });
    await expect.poll(bottom).toBeLessThanOrEqual(480);
    expect(await bottom()).toBeGreaterThan(480 - 8);
    await page.setViewportSize(PHONE.viewport);

    // The browser's back button goes back to the list, as "Back to conversations" would.
    await page.goBack();
    await expect(list).toBeVisible();
    await expect(reply).toBeHidden();
    await page.locator(`#conv-link-${id}`).tap();
    await expect(reply).toBeVisible();

    // Conversation → contact (its own URL) → back to the conversation → back to the list.
    await page.getByRole("link", { name: "Contact", exact: true }).tap();
    await expect(page).toHaveURL(`/inbox/c/${id}#contact-${id}`);
    await expect(contact).toBeVisible();
    await expect(reply).toBeHidden();
    await page.getByRole("link", { name: "Back to conversation", exact: true }).tap();
    await expect(reply).toBeVisible();
    await expect(contact).toBeHidden();
    await page.goBack();
    await expect(contact).toBeVisible();
    await page.goBack();
    await expect(reply).toBeVisible();
    await page.getByRole("link", { name: "Back to conversations" }).tap();
    await expect(page).toHaveURL(/\/inbox$/);
    await expect(list).toBeVisible();
    await expect(reply).toBeHidden();

    // The header: a Menu button that opens the navigation, notifications, availability and sign-out.
    const menu = page.getByRole("button", { name: "Menu" });
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();
    await menu.tap();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    for (const reachable of [nav.getByRole("link", { name: "Tickets" }), page.getByRole("button", { name: /^Notifications/ }), page.getByRole("combobox", { name: /Availability/ }), page.getByRole("button", { name: "Sign out" })]) {
      await expect(reachable).toBeVisible();
    }
    await menu.tap();
    await expect(nav).toBeHidden();

    // A wide screen shows everything at once, without the phone's links and menu.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/inbox/c/${id}`);
    await expect(list).toBeVisible();
    await expect(reply).toBeVisible();
    await expect(contact).toBeVisible();
    await expect(nav).toBeVisible();
    await expect(menu).toBeHidden();
    await expect(page.getByRole("link", { name: "Back to conversations" })).toBeHidden();
  } finally {
    for (const context of contexts) await context.close();
    await api.close(id);
    await request.dispose();
  }
});
