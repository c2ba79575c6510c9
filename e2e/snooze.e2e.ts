import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { signedInPage } from "./support/sign-in.ts";

// Snooze from end to end: an agent snoozes a conversation for an hour from its header, its row
// leaves "All open" for "Snoozed", and as soon as the customer writes it is back in "All open";
// snoozed until a time of one's own, it comes back by itself when that time comes.

/** A customer over the widget API who asks for a person; `write` sends them another message. */
async function customer(request: APIRequestContext, inboxKey: string, text: string) {
  const { token } = await (await request.post("/api/v1/widget/session", { data: { inbox: inboxKey } })).json();
  const auth = { authorization: `Bearer ${token}` };
  const write = (body: string) => request.post("/api/v1/widget/messages", { data: { clientId: crypto.randomUUID(), body }, headers: auth });
  await write(text);
  await request.post("/api/v1/widget/handoff", { headers: auth });
  return { write };
}

test("snoozed for 1 hour, a conversation leaves All open; when the customer writes, it is back", async ({ browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  const tag = crypto.randomUUID().slice(0, 6);
  const visitor = await customer(request, await api.defaultInboxKey(), `snooze me ${tag}`);
  const id = (await api.conversationWith(`snooze me ${tag}`))!;

  const agent = await signedInPage(browser, baseURL!, ADMIN);
  await agent.goto(`/inbox/c/${id}`);
  await expect(agent.locator("#live-status")).toHaveAttribute("data-state", "live");
  const tabs = agent.getByRole("navigation", { name: "Conversation tabs" });
  await tabs.getByRole("link", { name: /^All open/ }).click();
  await expect(agent).toHaveURL(/tab=open/);
  const row = agent.locator(`#conv-list #conv-row-${id}`);
  await expect(row).toBeVisible();

  const header = agent.locator(`#conv-status-${id}`);
  // "z" opens the menu on its first preset; Escape closes it.
  await agent.locator("body").press("z");
  await expect(header.getByRole("button", { name: "1 hour" })).toBeFocused();
  await agent.keyboard.press("Escape");
  await expect(header.getByRole("button", { name: "1 hour" })).toBeHidden();
  await header.getByText("Snooze", { exact: true }).click();
  // The open menu: presets and a date-time field, each named.
  const axe = await new AxeBuilder({ page: agent }).include(`#conv-status-${id}`).analyze();
  expect(axe.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`))).toEqual([]);
  await header.getByRole("button", { name: "1 hour" }).click();
  await expect(header.getByText(/^Snoozed until/)).toBeVisible();
  await expect(row).toHaveCount(0);
  await expect(agent.locator(`#pane .conversation-event[data-type="snoozed"]`)).toBeVisible();

  // The Snoozed tab has it.
  await tabs.getByRole("link", { name: /^Snoozed/ }).click();
  await expect(agent).toHaveURL(/tab=snoozed/);
  await expect(row).toBeVisible();
  await tabs.getByRole("link", { name: /^All open/ }).click();
  await expect(row).toHaveCount(0);

  // The customer writes: it wakes, live.
  await visitor.write(`still there? ${tag}`);
  await expect(row).toBeVisible();
  await expect(header.getByRole("group", { name: "Conversation actions" }).getByText("Snooze", { exact: true })).toBeVisible();
  await expect(agent.locator('#pane .conversation-event[data-type="unsnoozed"]')).toHaveText(/Back from snooze: the customer wrote/);
  // Closed: later specs expect an empty queue ("You are number 1").
  await api.close(id);
  await agent.context().close(); // an inbox left open keeps an agent online for later specs
});

/** The next whole minute at least 10 s away, as a datetime-local value on the account's clock (UTC, the default TIME_ZONE). */
function nextMinuteUtc(now = Date.now()): { value: string; at: number } {
  const at = Math.ceil((now + 10_000) / 60_000) * 60_000;
  return { value: new Date(at).toISOString().slice(0, 16), at };
}

test("snoozed until a time of one's own, a conversation comes back by itself at that time", async ({ browser, playwright, baseURL }) => {
  // The form picks whole minutes: up to 70 s until the wake, then the job worker's next poll.
  test.setTimeout(150_000);
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  const tag = crypto.randomUUID().slice(0, 6);
  await customer(request, await api.defaultInboxKey(), `wake me later ${tag}`);
  const id = (await api.conversationWith(`wake me later ${tag}`))!;

  const agent = await signedInPage(browser, baseURL!, ADMIN);
  await agent.goto(`/inbox/c/${id}?tab=open`);
  await expect(agent.locator("#live-status")).toHaveAttribute("data-state", "live");
  const row = agent.locator(`#conv-list #conv-row-${id}`);
  await expect(row).toBeVisible();
  const header = agent.locator(`#conv-status-${id}`);
  await header.getByText("Snooze", { exact: true }).click();
  const until = nextMinuteUtc();
  await header.getByLabel("Until", { exact: true }).fill(until.value);
  await header.getByRole("button", { name: "Snooze until then" }).click();
  await expect(header.getByText(/^Snoozed until/)).toBeVisible();
  await expect(row).toHaveCount(0);

  // Nobody writes: the wake job brings it back to "All open", live, with its event in the timeline.
  await expect(row).toBeVisible({ timeout: 100_000 });
  expect(Date.now()).toBeGreaterThanOrEqual(until.at);
  await expect(agent.locator('#pane .conversation-event[data-type="unsnoozed"]')).toHaveText(/^Back from snooze \d/);
  await expect(header.getByText(/^Snoozed until/)).toHaveCount(0);
  await api.close(id);
  await agent.context().close();
});
