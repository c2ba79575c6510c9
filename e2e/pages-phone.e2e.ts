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

test("every agent page fits a phone: sign-in, the inbox's tabs, a conversation and its contact, tickets, analytics, settings, the profile, an invite", async ({ browser, playwright, baseURL }) => {
  test.setTimeout(180_000);
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
    await signInThroughPage(page, ADMIN);
    await expect(page.locator("#live-status")).toHaveText("Live");
    for (const tab of ["Queue", "Mine", "All open", "Closed"]) {
      const link = page.getByRole("navigation", { name: "Conversation tabs" }).getByRole("link", { name: new RegExp(`^${tab}`) });
      await link.click();
      await expect(link).toHaveAttribute("aria-current", "page");
      await expect(page.locator("[id^=conv-row-]").first()).toBeVisible();
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

    // Every settings page, an inbox's settings and a saved reply's included.
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
    for (const id of ids) await api.close(id);
    await request.dispose();
  }
});
