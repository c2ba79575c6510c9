import { expect, test, type Page } from "@playwright/test";
import { ADMIN } from "./support/agent-api.ts";
import { signInThroughPage } from "./support/sign-in.ts";
import { messageField, typeMessage, useShop } from "./support/widget-page.ts";

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
  await expect(agent.locator("#live-status")).toHaveText("Live");
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
  await expect.poll(() => notes(agent)).toContain("New conversation waiting: Visitor");
  expect(await beeps(agent)).toBeGreaterThan(0);

  // A second one is newer, so above; when the first writes again, it moves back to the top.
  const other = await (await browser.newContext()).newPage();
  const second = `Second customer ${crypto.randomUUID().slice(0, 8)}`;
  await shop.waitInQueue(other, second);
  await expect(rows.first()).toContainText(second);
  await typeMessage(customer, "Still there?");
  await messageField(customer).press("Enter");
  await expect(rows.first()).toContainText("Still there?");
  await expect(rows.nth(1)).toContainText(second);

  // Accepted: it leaves the queue (the count follows) and is the agent's; their customer's next message is announced to them.
  await rows.first().getByRole("button", { name: /^Accept/ }).click();
  await expect(pane(agent).getByText("Still there?")).toBeVisible();
  await expect(agent.locator("#conv-list").getByText("Still there?")).toHaveCount(0);
  await expect.poll(() => tabCount("Queue")).toBe(queued + 1);
  await typeMessage(customer, "My order number is 42");
  await messageField(customer).press("Enter");
  await expect.poll(() => notes(agent)).toContain("New message from Visitor: My order number is 42");

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
  await other.context().close();
  await context.close();
});
