import { expect, test, type Page } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { signInThroughPage } from "./support/sign-in.ts";
import { messageField, typeMessage, useShop, widget } from "./support/widget-page.ts";

// The inbox's list in a browser: what it shows is the server's (rows, order, tabs, counts, the
// title), and so is when the agent hears a sound or sees a desktop notification.

const shop = useShop();
const pane = (page: Page) => page.locator("#pane");

/** Records the sounds and desktop notifications the page makes (this browser "allows" them). */
async function recordNotifications(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { notes: string[]; beeps: number };
    w.notes = [];
    w.beeps = 0;
    HTMLMediaElement.prototype.play = () => (w.beeps++, Promise.resolve());
    class Recorded {
      static permission = "granted";
      static requestPermission = () => Promise.resolve("granted");
      onclick: (() => void) | null = null;
      constructor(title: string, options: { body: string }) {
        w.notes.push(`${title}: ${options.body}`);
      }
      close() {}
    }
    Object.defineProperty(window, "Notification", { value: Recorded });
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
  });
}
const notes = (page: Page) => page.evaluate(() => (window as unknown as { notes: string[] }).notes);
const beeps = (page: Page) => page.evaluate(() => (window as unknown as { beeps: number }).beeps);

test("the list is the server's: rows appear, reorder and leave their tab, counts and title follow; notifications and keys", async ({ page: customer, browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  const agent = await context.newPage();
  await recordNotifications(agent);
  await signInThroughPage(agent, ADMIN);
  await expect(agent.locator("#live-status")).toHaveAttribute("data-state", "live");
  // Desktop notifications on: the choice is saved by the form itself, which comes back saying so.
  await agent.getByLabel("Desktop notifications").check();
  await expect(agent.locator('#inbox-prefs[data-notify-desktop="on"]')).toHaveCount(1);
  await agent.getByRole("link", { name: /^Queue/ }).click();
  const tabCount = async (tab: string) =>
    Number((await agent.getByRole("navigation", { name: "Conversation tabs" }).getByRole("link", { name: new RegExp(`^${tab}`) }).locator(".tab-count").textContent()) ?? "0");
  const queued = await tabCount("Queue");
  const rows = agent.locator("#conv-list > .conversation-row");

  // A customer starts waiting: the row appears, the count goes up, the title says someone waits, and the agent hears it.
  const first = `First customer ${crypto.randomUUID().slice(0, 8)}`;
  await shop.waitInQueue(customer, first);
  await expect(rows.first()).toContainText(first);
  await expect.poll(() => tabCount("Queue")).toBe(queued + 1);
  await expect(agent).toHaveTitle(/^\(\d+\) Inbox/);
  // An anonymous visitor is named "Visitor 1234" everywhere, the notification included.
  const visitorName = (await rows.first().locator(".row-name").textContent())!;
  expect(visitorName).toMatch(/^Visitor \d{4}$/);
  await expect.poll(() => notes(agent)).toContain(`New conversation waiting: ${visitorName}`);
  expect(await beeps(agent)).toBeGreaterThan(0);
  // The row says where they are: their browser and the shop's page.
  await expect(rows.first().locator(".row-visit")).toContainText(/Chrom(e|ium) \d+ on Linux · /);

  // The queue is in waiting order: a second customer waits below, at the place their widget says;
  // the first writing again stays on top (#1), with their words as the preview.
  const other = await (await browser.newContext()).newPage();
  const second = `Second customer ${crypto.randomUUID().slice(0, 8)}`;
  await shop.waitInQueue(other, second);
  await expect(rows.nth(1)).toContainText(second);
  const place = async (page: Page) => (await widget(page).getByText(/number \d+ in the queue/).textContent())!.match(/number (\d+)/)![1];
  await expect(rows.first().locator(".row-queue")).toHaveText(`#${await place(customer)} in queue`);
  await expect(rows.nth(1).locator(".row-queue")).toHaveText(`#${await place(other)} in queue`);
  await typeMessage(customer, "Still there?");
  await messageField(customer).press("Enter");
  await expect(rows.first().locator(".row-preview")).toContainText("Still there?");
  await expect(rows.nth(1)).toContainText(second);

  // Claimed: it leaves the queue (the count follows) and is the agent's; the second customer moves up, in the list and in their widget.
  await rows.first().getByRole("button", { name: /^Claim/ }).click();
  await expect(pane(agent).getByText("Still there?")).toBeVisible();
  await expect(agent.locator("#conv-list").getByText("Still there?")).toHaveCount(0);
  await expect.poll(() => tabCount("Queue")).toBe(queued + 1);
  await expect(widget(other).getByText(/number \d+ in the queue/)).toHaveText(new RegExp(`number ${queued + 1} in the queue`));
  await expect(rows.first().locator(".row-queue")).toHaveText(`#${queued + 1} in queue`);
  // Their customer's next message is announced to them.
  await typeMessage(customer, "My order number is 42");
  await messageField(customer).press("Enter");
  await expect.poll(() => notes(agent)).toContain(`New message from ${visitorName}: My order number is 42`);

  // Keys: in another tab the open conversation stays marked (the newest row); j opens the next row, k comes back.
  await agent.getByRole("link", { name: /^All open/ }).click();
  await expect(agent).toHaveURL(/tab=open/);
  const current = agent.locator('#conv-list .row-link[aria-current="true"]');
  const currentId = () => current.locator("xpath=..").getAttribute("data-id");
  await expect(current).toContainText("My order number is 42");
  const openId = await currentId();
  await agent.locator("body").press("j");
  await expect(current).not.toContainText("My order number is 42");
  const nextId = await currentId();
  await expect(agent).toHaveURL(new RegExp(`/inbox/c/${nextId}`));
  await expect(pane(agent).locator(`#conversation-${nextId}`)).toBeVisible();
  await agent.locator("body").press("k");
  await expect(current).toContainText("My order number is 42");
  await expect(agent).toHaveURL(new RegExp(`/inbox/c/${openId}`));
  // Nothing left open for the specs after this one.
  const api = await signedInAgent(context.request, baseURL!);
  for (const text of [first, second]) await api.close((await api.conversationWith(text))!);
  await other.context().close();
  await context.close();
});
