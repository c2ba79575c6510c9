import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { SignJWT } from "jose";
import { createHmac } from "node:crypto";
import { agentOnline, signedInAgent } from "./support/agent-api.ts";
import { startHostPage } from "./support/host-page.ts";
import {
  cuttableWidgetNetwork,
  installSdkStub,
  launcher,
  messageField,
  notSent,
  pending,
  sdk,
  sdkEvents,
  snippetFor,
  transcript,
  typeMessage,
  waitInQueue as waitInQueueOn,
  widget,
} from "./support/widget-page.ts";

// The widget as a customer meets it: on a shop's page of another site, under a strict CSP that
// allows only the widget's origin, with page CSS that would hide every button it could reach.

let host: Awaited<ReturnType<typeof startHostPage>>;
let inboxKey: string;
let widgetOrigin: string;

test.beforeAll(async ({ playwright, baseURL }) => {
  widgetOrigin = new URL(baseURL!).origin;
  host = await startHostPage(widgetOrigin);
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  inboxKey = await agent.defaultInboxKey();
  await request.dispose();
});
test.afterAll(() => host?.close());

const snippet = () => snippetFor(widgetOrigin, inboxKey);

const waitInQueue = (page: Page, text: string) => waitInQueueOn(page, host, snippet(), text);

test("a customer talks to an agent: bot first, the queue, an agent joins, Seen, closed and reopened", async ({ page, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  host.set({ snippet: snippet() });
  await page.goto(host.url);

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
  await waitInQueue(page, "Badge test");
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

test("a message written offline waits in the outbox and is delivered once when the network is back", async ({ page, context, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  // A tunnel: offline emulation, and the widget's sockets cut too (emulation may leave one up).
  const network = await cuttableWidgetNetwork(page);
  await waitInQueue(page, "Before the tunnel");
  const id = await agent.conversationWith("Before the tunnel");

  await network.cut();
  await context.setOffline(true);
  await typeMessage(page, "Written in the tunnel");
  await messageField(page).press("Enter");
  await expect(pending(page)).toBeVisible();
  network.restore();
  await context.setOffline(false);
  await expect(pending(page)).toHaveCount(0, { timeout: 20_000 });
  await expect.poll(async () => ((await agent.pane(id!)).match(/Written in the tunnel/g) ?? []).length, { timeout: 10_000 }).toBe(1);
  await expect(transcript(page).getByText("Written in the tunnel")).toHaveCount(1);
  await request.dispose();
});

test("the visitor and a message still in the outbox survive a reload of the shop's page", async ({ page, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  const network = await cuttableWidgetNetwork(page, { http: true });
  const before = `Before the reload ${crypto.randomUUID()}`;
  await waitInQueue(page, before);
  const id = await agent.conversationWith(before);

  // The widget's server becomes unreachable; the customer writes, then reloads the page.
  await network.cut();
  const unsent = `Written before the reload ${crypto.randomUUID()}`;
  await typeMessage(page, unsent);
  await messageField(page).press("Enter");
  await expect(pending(page)).toBeVisible();
  await page.reload();
  await launcher(page).click();
  await expect(transcript(page).getByText(unsent)).toBeVisible();
  await expect(pending(page)).toBeVisible();

  network.restore();
  await expect(pending(page)).toHaveCount(0, { timeout: 20_000 });
  // The same visitor: the same conversation, its history, and the message stored once.
  await expect(transcript(page).getByText(before)).toBeVisible();
  await expect.poll(async () => (await agent.pane(id!)).split(unsent).length - 1, { timeout: 10_000 }).toBe(1);
  await expect(transcript(page).getByText(unsent)).toHaveCount(1);
  await request.dispose();
});

test("a message the server could not store is sent again by itself, then offered for retry", async ({ page, playwright, baseURL }) => {
  test.setTimeout(60_000);
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  // The server answers the next `refusals` sends with the error it gives when a commit fails.
  let refusals = 0;
  const tries = new Map<string, number>();
  await page.routeWebSocket(/\/ws\/widget/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((raw) => {
      const frame = JSON.parse(String(raw)) as { type: string; clientId?: string; body?: string };
      if (frame.type === "send") tries.set(frame.body!, (tries.get(frame.body!) ?? 0) + 1);
      if (frame.type === "send" && refusals > 0) {
        refusals--;
        ws.send(JSON.stringify({ type: "error", code: "server_error", message: "The message was not saved; it will be sent again.", clientId: frame.clientId }));
      } else server.send(raw);
    });
  });
  host.set({ snippet: snippet() });
  await page.goto(host.url);
  await launcher(page).click();

  refusals = 2;
  const first = `Refused twice ${crypto.randomUUID()}`;
  await typeMessage(page, first);
  await messageField(page).press("Enter");
  await expect(pending(page)).toHaveCount(0, { timeout: 15_000 });
  expect(await agent.conversationWith(first)).toBeTruthy();
  expect(tries.get(first)).toBe(3);
  const failed = notSent(page);
  await expect(failed).toHaveCount(0);

  refusals = 4;
  const second = `Refused four times ${crypto.randomUUID()}`;
  await typeMessage(page, second);
  await messageField(page).press("Enter");
  await expect(failed).toBeVisible({ timeout: 20_000 });
  expect(tries.get(second)).toBe(4);
  await transcript(page).getByRole("button", { name: "Retry" }).click();
  await expect(failed).toHaveCount(0);
  await expect.poll(async () => (await agent.pane((await agent.conversationWith(first))!)).split(second).length - 1).toBe(1);
  await request.dispose();
});

test("past the budget of new conversations the customer is told when it will be sent, in minutes, and the message waits", async ({ page }) => {
  // The server refuses the first message as it does past CONVERSATIONS_PER_IP_PER_HOUR.
  await page.routeWebSocket(/\/ws\/widget/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((raw) => {
      const frame = JSON.parse(String(raw)) as { type: string; clientId?: string };
      if (frame.type === "send") {
        ws.send(JSON.stringify({ type: "error", code: "rate_limited", message: "Too many new conversations.", retryAfter: 3412, clientId: frame.clientId }));
      } else server.send(raw);
    });
  });
  host.set({ snippet: snippet() });
  await page.goto(host.url);
  await launcher(page).click();
  const text = `Budget spent ${crypto.randomUUID()}`;
  await typeMessage(page, text);
  await messageField(page).press("Enter");
  await expect(widget(page).getByText("Too many messages. Trying again in 57 min.")).toBeVisible();
  // Kept, not dropped: still on its way, in the transcript.
  await expect(transcript(page).getByText(text, { exact: true })).toBeVisible();
  await expect(pending(page)).toHaveCount(1);
});

test("when WebSockets are blocked the widget talks over HTTP", async ({ page, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  // A network that refuses every WebSocket.
  await page.routeWebSocket(/\/ws\/widget/, (ws) => ws.close({ code: 1006 }));
  host.set({ snippet: snippet() });
  await page.goto(host.url);
  await launcher(page).click();
  const text = `Over plain HTTP ${crypto.randomUUID()}`;
  await typeMessage(page, text);
  await messageField(page).press("Enter");
  await widget(page).getByRole("button", { name: "Talk to a human" }).click({ timeout: 15_000 });
  await expect.poll(() => agent.conversationWith(text), { timeout: 15_000 }).toBeTruthy();
  const id = await agent.conversationWith(text);
  await agent.reply(id!, "Reply by polling");
  await expect(transcript(page).getByText("Reply by polling")).toBeVisible({ timeout: 10_000 });
  await request.dispose();
});

for (const slow of ["widget.css", "alpine-csp.min.js"]) {
  test(`nothing typed into the widget is lost when ${slow} arrives late`, async ({ page }) => {
    // On a slow network the iframe's HTML lands first. Its form must stay hidden until the chat
    // runs, or what the customer types there is wiped when Alpine takes over the field.
    await page.route((url) => url.pathname.endsWith(`/${slow}`), async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue();
    });
    host.set({ snippet: snippet() });
    await page.goto(host.url);
    await launcher(page).click();
    const text = `Typed early ${crypto.randomUUID()}`;
    await typeMessage(page, text);
    await messageField(page).press("Enter");
    await expect(transcript(page).getByText(text)).toBeVisible();
  });
}

test("messages in the widget's words from another site are ignored by the loader and the widget", async ({ page, context }) => {
  const ad = "http://ads.localhost:3113/frame";
  await context.route(ad, (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>Ad</title>" }));
  host.set({ snippet: snippet(), frames: [ad] });
  await page.goto(host.url);
  await launcher(page).click();
  const kept = `Kept message ${crypto.randomUUID()}`;
  await typeMessage(page, kept);
  await messageField(page).press("Enter");
  await expect(transcript(page).getByText(kept)).toBeVisible();

  // An ad framed on the shop's page writes to the page, where the loader listens.
  await page.frame({ url: ad })!.evaluate(() => {
    window.top!.postMessage({ sd: "supportdesk", type: "unread", count: 7 }, "*");
    window.top!.postMessage({ sd: "supportdesk", type: "close" }, "*");
  });
  // A window of another site that got hold of the widget's frame (here: one it opened) writes to it.
  const popup = context.waitForEvent("page");
  await widget(page).locator("body").evaluate((_, url) => void window.open(url), ad);
  await (await popup).evaluate(() => {
    window.opener.postMessage({ sd: "supportdesk", type: "prefill", text: "Forged text" }, "*");
    window.opener.postMessage({ sd: "supportdesk", type: "shutdown" }, "*");
  });

  // The shop's own call, sent after the forged ones, arrives; none of the forged ones did: the
  // chat was not forgotten, the panel not closed, no unread count set.
  await sdk(page, "showNewMessage", "From the shop");
  await expect(messageField(page)).toHaveValue("From the shop");
  await expect(transcript(page).getByText(kept)).toBeVisible();
  await expect(page.getByRole("button", { name: "Close chat", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: /unread/ })).toHaveCount(0);
});

test("typing shows both ways: the customer sees the agent typing, the agent sees the customer typing", async ({ page, browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  const text = `Typing test ${crypto.randomUUID()}`;
  await waitInQueue(page, text);
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

test("an agent's message plays a sound while the panel is closed, not while it is open, and never when muted", async ({ page, playwright, baseURL }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { beeps: number };
    w.beeps = 0;
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...args: Parameters<OscillatorNode["start"]>) {
      w.beeps++;
      return start.apply(this, args);
    };
  });
  const beeps = () => page.frame({ url: /\/embed\/widget/ })!.evaluate(() => (window as unknown as { beeps: number }).beeps);
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  const text = `Sound test ${crypto.randomUUID()}`;
  await waitInQueue(page, text);
  const id = (await agent.conversationWith(text))!;
  await agent.claim(id);

  await launcher(page).click(); // closed
  await agent.reply(id, "First answer");
  await expect(page.getByRole("button", { name: /1 unread/ })).toBeVisible();
  expect(await beeps()).toBe(1);

  await launcher(page).click(); // open
  await agent.reply(id, "Second answer");
  await expect(transcript(page).getByText("Second answer")).toBeVisible();
  expect(await beeps()).toBe(1);

  const mute = widget(page).getByRole("button", { name: "Mute sounds" });
  await mute.click();
  await expect(mute).toHaveAttribute("aria-pressed", "true");
  await launcher(page).click(); // closed
  await agent.reply(id, "Third answer");
  await expect(page.getByRole("button", { name: /1 unread/ })).toBeVisible();
  expect(await beeps()).toBe(1);

  // The choice is remembered on this browser.
  await page.reload();
  await launcher(page).click();
  await expect(widget(page).getByRole("button", { name: "Mute sounds" })).toHaveAttribute("aria-pressed", "true");
  await request.dispose();
});

test("with nobody online the widget asks for an email; the agent finds it on the queued conversation; an agent coming online ends the notice", async ({ page, browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  host.set({ snippet: snippet() });
  await page.goto(host.url);
  await launcher(page).click();
  await expect(widget(page).getByText("Nobody is online right now.")).toBeVisible();

  const text = `Away test ${crypto.randomUUID()}`;
  await typeMessage(page, text);
  await messageField(page).press("Enter");
  await expect(transcript(page).getByText(text)).toBeVisible();
  const email = widget(page).getByRole("textbox", { name: "Email", exact: true });
  await email.fill("not an address");
  await widget(page).getByRole("button", { name: "Notify me" }).click();
  await expect(widget(page).getByText("We'll reply to")).toBeHidden();
  const address = `kim.${Date.now()}@example.com`;
  await email.fill(address);
  await widget(page).getByRole("button", { name: "Notify me" }).click();
  await expect(widget(page).getByText(`We'll reply to ${address}.`)).toBeVisible();

  const id = (await agent.conversationWith(text))!;
  expect(await agent.tab("queue")).toContain(id);
  const queue = await (await request.get("/inbox/list?tab=queue")).text();
  const row = queue.slice(queue.indexOf(`id="conv-row-${id}"`)).split("</li>")[0]!;
  expect(row).toContain(address);
  expect(row).toContain("Offline: reply by email");

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
  await waitInQueue(page, text);
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

test("the SDK: calls queued before the loader arrives, German, showNewMessage, events, shutdown", async ({ page }) => {
  // The stub sites paste before the loader; the page's own scripts call it at once.
  await installSdkStub(page, [["boot", { inbox: inboxKey, locale: "de" }], ["on", "open"], ["on", "close"]]);
  host.set({ snippet: `<script src="${widgetOrigin}/widget.js" async></script>` });
  await page.goto(host.url);

  await expect(page.getByRole("button", { name: "Chat öffnen" })).toBeVisible();
  await sdk(page, "showNewMessage", "Ich brauche Hilfe");
  await expect(widget(page).getByRole("textbox", { name: "Nachricht", exact: true })).toHaveValue("Ich brauche Hilfe");
  await expect(page.getByRole("button", { name: "Chat schließen" })).toBeVisible();
  await sdk(page, "close");
  await expect(page.getByRole("button", { name: "Chat öffnen" })).toBeVisible();
  await sdk(page, "toggle");
  await expect(page.getByRole("button", { name: "Chat schließen" })).toBeVisible();
  expect(await sdkEvents(page)).toEqual(["open", "close", "open"]);
  await sdk(page, "shutdown");
  await expect(page.getByRole("button", { name: /Chat/ })).toHaveCount(0);
  await expect(page.locator('iframe[src*="/embed/widget"]')).toHaveCount(0);
});

test("boot options and events: on the left, in the brand colour; ready, message and unreadCountChange reach the page", async ({ page, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  await installSdkStub(page, [
    ["boot", { inbox: inboxKey, position: "left", color: "#0f766e" }],
    ["on", "ready"],
    ["on", "message"],
    ["on", "unreadCountChange", "unread"],
  ]);
  host.set({ snippet: `<script src="${widgetOrigin}/widget.js" async></script>` });
  await page.goto(host.url);
  const button = page.getByRole("button", { name: "Open chat" });
  await expect(button).toHaveCSS("background-color", "rgb(15, 118, 110)");
  const box = (await button.boundingBox())!;
  expect(box.x).toBeLessThan(100);

  const text = `Events test ${crypto.randomUUID()}`;
  await button.click();
  // The chat's header takes the colour given to boot, not the inbox's saved one.
  await expect(widget(page).locator(".sd-head")).toHaveCSS("background-color", "rgb(15, 118, 110)");
  await typeMessage(page, text);
  await messageField(page).press("Enter");
  await widget(page).getByRole("button", { name: "Talk to a human" }).click();
  const id = (await agent.conversationWith(text))!;
  await agent.claim(id);
  await launcher(page).click(); // closed
  await agent.reply(id, "Hello from the team");
  const events = () => sdkEvents(page);
  await expect.poll(events).toContain("unread:1");
  const seen = await events();
  expect(seen[0]).toBe("ready");
  expect(seen).toContain("message:Hello from the team");
  await launcher(page).click();
  await expect.poll(events).toContain("unread:0");
  await request.dispose();
});

test("the open widget has no accessibility violations and works from the keyboard", async ({ page }) => {
  host.set({ snippet: snippet() });
  await page.goto(host.url);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Open chat" })).toBeFocused();
  await page.keyboard.press("Enter");
  const w = widget(page);
  await expect(messageField(page)).toBeFocused();
  await expect(w.getByRole("button", { name: "Send" })).toBeVisible();
  const frame = page.frames().find((f) => f.url().includes("/embed/widget"))!;
  // The shop's own content (red on white by its CSS) is not ours to judge: everything else is.
  const results = await new AxeBuilder({ page }).exclude("body > h1").exclude("body > p").analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  expect(frame).toBeTruthy();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Open chat" })).toBeFocused();
});

test("the launcher takes the colour and side saved in the inbox's settings; boot options override them", async ({ page, browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  await signedInAgent(request, baseURL!);
  const admin = await browser.newContext({ storageState: await request.storageState(), baseURL });
  const settings = await admin.newPage();
  const saveLook = async (colour: string, side: "Bottom left" | "Bottom right") => {
    await settings.goto("/settings");
    await settings.locator('a[href^="/settings/inboxes/"]').first().click();
    await settings.getByRole("textbox", { name: "Colour", exact: true }).fill(colour);
    await settings.getByRole("radio", { name: side }).check();
    await settings.getByRole("button", { name: "Save changes" }).click();
    await settings.waitForURL(/done=saved/);
  };
  await saveLook("#b91c1c", "Bottom left");
  try {
    host.set({ snippet: snippet() });
    await page.goto(host.url);
    const button = page.getByRole("button", { name: "Open chat" });
    // The saved look arrives with the iframe, which the loader makes when the page is idle.
    await expect(button).toHaveCSS("background-color", "rgb(185, 28, 28)");
    await expect.poll(async () => (await button.boundingBox())!.x).toBeLessThan(100);
    await button.click();
    await expect(widget(page).locator(".sd-head")).toHaveCSS("background-color", "rgb(185, 28, 28)");

    // The site's own boot options win.
    await installSdkStub(page, [["boot", { inbox: inboxKey, position: "right", color: "#0f766e" }]]);
    host.set({ snippet: `<script src="${widgetOrigin}/widget.js" async></script>` });
    await page.goto(host.url);
    await expect(widget(page).locator(".sd-head")).toBeAttached();
    const booted = page.getByRole("button", { name: "Open chat" });
    await expect(booted).toHaveCSS("background-color", "rgb(15, 118, 110)");
    expect((await booted.boundingBox())!.x).toBeGreaterThan(200);
  } finally {
    await saveLook("#2563eb", "Bottom right");
    await admin.close();
    await request.dispose();
  }
});

test("identify through the SDK: a visitor who signs in keeps the chat, and finds it again on another device", async ({ page, browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  const secret = await agent.identitySecret();
  const user = { id: `user-${crypto.randomUUID()}`, email: "lena@shop.example", name: "Lena Shopper" };
  // What the shop's backend computes and prints into its page.
  const hash = createHmac("sha256", secret).update(user.id).digest("hex");

  const text = `Before signing in ${crypto.randomUUID()}`;
  await waitInQueue(page, text);
  const id = (await agent.conversationWith(text))!;
  expect(await agent.pane(id)).toContain("Not verified");

  // The visitor signs in on the shop: its page tells the widget who they are.
  await sdk(page, "identify", { ...user, hash });
  await expect.poll(async () => agent.pane(id), { timeout: 10_000 }).toContain("Lena Shopper");
  const pane = await agent.pane(id);
  expect(pane).toContain("lena@shop.example");
  expect(pane).toMatch(/data-verified="true"/);
  await typeMessage(page, "Signed in now");
  await messageField(page).press("Enter");
  await expect.poll(async () => (await agent.pane(id)).includes("Signed in now")).toBe(true);

  // Another device: the shop boots the widget with the same user, this time proved by an identity
  // token (signed by its backend, expiring), and the chat is there.
  const token = await new SignJWT({ email: user.email, name: user.name })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(user.id)
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(secret));
  const phone = await browser.newContext();
  const other = await phone.newPage();
  await installSdkStub(other, [["boot", { inbox: inboxKey, user: { token } }]]);
  host.set({ snippet: `<script src="${widgetOrigin}/widget.js" async></script>` });
  await other.goto(host.url);
  await launcher(other).click();
  await expect(transcript(other).getByText(text)).toBeVisible();
  await expect(transcript(other).getByText("Signed in now")).toBeVisible();

  // A forged hash is not accepted on a third device.
  const thief = await browser.newContext();
  const forged = await thief.newPage();
  await installSdkStub(forged, [["boot", { inbox: inboxKey, user: { ...user, hash: "0".repeat(64) } }]]);
  await forged.goto(host.url);
  await launcher(forged).click();
  await expect(widget(forged).getByText("The chat is not available right now.")).toBeVisible();
  await expect(transcript(forged).getByText(text)).toHaveCount(0);
  await phone.close();
  await thief.close();
  await request.dispose();
});
