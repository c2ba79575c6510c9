// The widget as a customer meets it, talking to an agent: the bot, the queue, an agent joining,
// unread messages, typing, the away form, days in the transcript.
import { expect, test } from "@playwright/test";
import { agentOnline, signedInAgent } from "./support/agent-api.ts";
import { launcher, messageField, transcript, typeMessage, useShop, widget } from "./support/widget-page.ts";

const shop = useShop();

test("a customer talks to an agent: bot first, the queue, an agent joins, Seen, closed and reopened", async ({ page, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  shop.host.set({ snippet: shop.snippet() });
  await page.goto(shop.host.url);

  // The launcher lives in a shadow root: the page's `button{display:none!important}` cannot hide it.
  await expect(page.getByRole("button", { name: "Open chat" })).toBeVisible();
  await page.getByRole("button", { name: "Open chat" }).click();
  await expect(page.getByRole("button", { name: "Close chat" })).toBeVisible();
  const w = widget(page);
  await expect(w.getByText("Hi! How can we help?")).toBeVisible();

  // Enter sends; the bot answers and offers a human.
  const field = messageField(page);
  await typeMessage(page, "Where is my order?");
  await field.press("Enter");
  await expect(transcript(page).getByText("Where is my order?")).toBeVisible();
  await w.getByRole("button", { name: "Talk to a human" }).click();
  await expect(w.getByText(/You are number 1 in the queue/)).toBeVisible();

  const id = await agent.conversationWith("Where is my order?");
  expect(id).toBeTruthy();
  await agent.claim(id!);
  await expect(w.getByText("Ana Admin joined the chat")).toBeVisible();

  await agent.reply(id!, "Hello, I am looking into it.");
  await expect(transcript(page).getByText("Hello, I am looking into it.")).toBeVisible();

  // Shift+Enter adds a line; Enter sends both lines as one message.
  await field.fill("Thanks!");
  await field.press("Shift+Enter");
  await field.pressSequentially("Order 42.");
  await field.press("Enter");
  await expect(transcript(page).getByText(/Thanks!\s+Order 42\./)).toBeVisible();
  await expect.poll(async () => (await agent.pane(id!)).includes("Order 42.")).toBe(true);

  // The agent reads the conversation: "Seen" under the customer's last message.
  // (The server caps what was read at the conversation's last seq.)
  await agent.viewed(id!, 1_000_000);
  await expect(transcript(page).getByText("Seen").filter({ visible: true })).toHaveCount(1);

  await agent.close(id!);
  await expect(w.getByText(/Conversation closed/)).toBeVisible();
  await field.fill("One more question");
  await field.press("Enter");
  await expect.poll(async () => (await agent.tab("mine")).includes(id!)).toBe(true);
  await request.dispose();
});

test("while the panel is closed an agent's message shows an unread badge; opening clears it", async ({ page, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  await shop.waitInQueue(page, "Badge test");
  await launcher(page).click();
  await expect(page.getByRole("button", { name: "Open chat" })).toBeVisible();

  const id = await agent.conversationWith("Badge test");
  await agent.claim(id!);
  await agent.reply(id!, "First reply");
  await agent.reply(id!, "Second reply");
  await expect(page.getByRole("button", { name: "Open chat, 2 unread messages" })).toBeVisible();
  await expect(page.locator("supportdesk-widget .b")).toHaveText("2");
  for (let i = 3; i <= 10; i++) await agent.reply(id!, `Reply ${i}`);
  await expect(page.getByRole("button", { name: "Open chat, 10 unread messages" })).toBeVisible();
  await expect(page.locator("supportdesk-widget .b")).toHaveText("9+");
  await launcher(page).click();
  await expect(transcript(page).getByText("Reply 10")).toBeVisible();
  await expect(page.getByRole("button", { name: "Close chat", exact: true })).toBeVisible();
  await expect(page.locator("supportdesk-widget .b")).toBeHidden();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Open chat" })).toBeVisible();
  await request.dispose();
});

test("typing shows both ways: the customer sees the agent typing, the agent sees the customer typing", async ({ page, browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  const text = `Typing test ${crypto.randomUUID()}`;
  await shop.waitInQueue(page, text);
  const id = (await agent.conversationWith(text))!;
  await agent.claim(id);
  await expect(widget(page).getByText("Ana Admin joined the chat")).toBeVisible();
  const online = await agentOnline(browser, request, baseURL!, id);

  await online.typing(true);
  await expect(widget(page).getByText("Ana Admin is typing…")).toBeVisible();
  await online.typing(false);
  await expect(widget(page).getByText("Ana Admin is typing…")).toBeHidden();

  await messageField(page).pressSequentially("I am writ");
  await expect.poll(() => online.customerTyping()).toBe("The customer is typing…");
  // Sending the message ends it.
  await messageField(page).press("Enter");
  await expect.poll(() => online.customerTyping()).toBe("");
  await online.close();
  await request.dispose();
});

test("with nobody online and no email set up, the widget promises no email: the team answers here; an agent coming online ends the notice", async ({ page, browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  shop.host.set({ snippet: shop.snippet() });
  await page.goto(shop.host.url);
  await launcher(page).click();
  await expect(widget(page).getByText("Nobody is online right now.")).toBeVisible();

  const text = `Away test ${crypto.randomUUID()}`;
  await typeMessage(page, text);
  await messageField(page).press("Enter");
  await expect(transcript(page).getByText(text)).toBeVisible();
  // This server has no SMTP_URL: no address is asked for, and nothing says "we'll reply to" one
  // (e2e/widget-email.e2e.ts has the away form of a server that sends email).
  await expect(widget(page).getByText("Leave your message here; we'll answer here when we're back.")).toBeVisible();
  await expect(widget(page).getByRole("textbox", { name: "Email", exact: true }).filter({ visible: true })).toHaveCount(0);
  await expect(widget(page).getByText(/reply to|email/i).filter({ visible: true })).toHaveCount(0);

  const id = (await agent.conversationWith(text))!;
  const online = await agentOnline(browser, request, baseURL!, id);
  await expect(widget(page).getByText("Nobody is online right now.")).toBeHidden({ timeout: 10_000 });
  await online.close();
  await expect(widget(page).getByText("Nobody is online right now.")).toBeVisible({ timeout: 10_000 });
  await request.dispose();
});

test("the transcript is grouped by day: earlier messages under their day, today's under Today", async ({ page, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  // The visitor's browser believes it is a day later than the server: what the server stored
  // "now" is from yesterday for it.
  await page.clock.install({ time: Date.now() + 24 * 3600 * 1000 });
  const text = `Day test ${crypto.randomUUID()}`;
  await shop.waitInQueue(page, text);
  const id = (await agent.conversationWith(text))!;
  await agent.close(id);
  await expect(widget(page).getByText(/Conversation closed/)).toBeVisible();

  const rows = transcript(page).locator(".sd-d, .sd-m, .sd-n");
  const order = await rows.evaluateAll((els) => els.map((e) => (e.classList.contains("sd-d") ? "day:" : "") + e.textContent!.replace(/\s+/g, " ").trim()));
  const yesterday = order.indexOf("day:Yesterday");
  const today = order.indexOf("day:Today");
  expect(yesterday).toBeGreaterThanOrEqual(0);
  expect(today).toBeGreaterThan(yesterday);
  expect(order.findIndex((r) => r.includes("Day test"))).toBeGreaterThan(yesterday);
  expect(order.findIndex((r) => r.includes("Day test"))).toBeLessThan(today);
  expect(order.findIndex((r) => r.includes("Conversation closed"))).toBeGreaterThan(today);
  await request.dispose();
});
