import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { chatLinkToken } from "../src/mail/signed-links.ts";
import { smtpCapture, type SmtpCapture } from "../src/testing/smtp-capture.ts";
import { signedInAgent } from "./support/agent-api.ts";
import { recordPolicyViolations } from "./support/csp-recorder.ts";
import { startHostPage } from "./support/host-page.ts";
import { E2E_PORT, startOwnInstance } from "./support/own-instance.ts";
import { launcher, messageField, snippetFor, transcript, typeMessage, widget } from "./support/widget-page.ts";

// The customer's side of email, in a browser, against a SupportDesk of its own that sends mail to
// an SMTP server in this process: the one-time ask for an address, "Email me this conversation",
// and the hosted chat page a reply email links to.

const PORT = E2E_PORT + 5;
const BASE = `http://127.0.0.1:${PORT}`;
// Known here, so that this test can sign a chat link as a reply email would carry it.
const SESSION_SECRET = `widget-email-e2e-${"s".repeat(32)}`;

let mail: SmtpCapture;
let server: Awaited<ReturnType<typeof startOwnInstance>> | undefined;
let host: Awaited<ReturnType<typeof startHostPage>> | undefined;
let request: APIRequestContext;
let agent: Awaited<ReturnType<typeof signedInAgent>>;
let inboxKey = "";

test.describe.configure({ mode: "serial" });
test.use({ baseURL: BASE });
test.beforeAll(async ({ playwright }) => {
  mail = await smtpCapture();
  server = await startOwnInstance(PORT, { SMTP_URL: mail.url, SESSION_SECRET, MAIL_FROM: "Shop <shop@example.com>" });
  host = await startHostPage(BASE, E2E_PORT + 6);
  request = await playwright.request.newContext({ baseURL: BASE });
  agent = await signedInAgent(request, BASE);
  inboxKey = await agent.defaultInboxKey();
  host.set({ snippet: snippetFor(BASE, inboxKey) });
});
test.afterAll(async () => {
  await request?.dispose();
  await host?.close();
  await server?.stop();
  await mail?.close();
});

/** An agent with the inbox open: the widget shows the team online (else its away form asks for the address). */
async function agentInInbox(browser: Browser) {
  const context = await browser.newContext({ storageState: await request.storageState(), baseURL: BASE });
  const page = await context.newPage();
  await page.goto("/inbox");
  return context;
}

const askCard = (page: Page) => widget(page).getByRole("group", { name: "Get notified by email when we reply" });

/** A new customer on the shop opens the chat and writes `text`; the message is stored. */
async function customerWrites(page: Page, text: string) {
  await page.goto(host!.url);
  await launcher(page).click();
  await typeMessage(page, text);
  await messageField(page).press("Enter");
  await expect(transcript(page).getByText(text, { exact: true })).toBeVisible();
}

test("after the first message the chat asks once for an address; answered, it is not asked again after a reload", async ({ page, browser }) => {
  const online = await agentInInbox(browser);
  await customerWrites(page, `Ask test ${crypto.randomUUID()}`);
  await expect(askCard(page)).toBeVisible();
  const field = askCard(page).getByRole("textbox", { name: "Email" });
  await field.fill("not an address");
  // The browser's own check refuses it first; the server's would say the same.
  await askCard(page).getByRole("button", { name: "Notify me" }).click();
  await expect(askCard(page)).toBeVisible();
  const address = `kim.${Date.now()}@example.com`;
  await field.fill(address);
  await askCard(page).getByRole("button", { name: "Notify me" }).click();
  await expect(askCard(page)).toBeHidden();
  await expect(transcript(page).getByText(`We'll email ${address} when we reply.`)).toBeVisible();
  // Focus is back in the composer, ready for the next message.
  await expect(messageField(page)).toBeFocused();

  await page.reload();
  await launcher(page).click();
  await expect(transcript(page).getByText(/^Ask test /)).toBeVisible();
  await typeMessage(page, "And one more thing");
  await messageField(page).press("Enter");
  await expect(transcript(page).getByText("And one more thing", { exact: true })).toBeVisible();
  await expect(askCard(page)).toBeHidden();
  await online.close();
});

test("Email me this conversation: the customer asks, the widget says where it went, and the whole conversation arrives by mail", async ({ page, browser }) => {
  const online = await agentInInbox(browser);
  const text = `Transcript test ${crypto.randomUUID()}`;
  await customerWrites(page, text);
  const id = (await agent.conversationWith(text))!;
  await agent.reply(id, "Here is your answer <b>in full</b>.");
  await expect(transcript(page).getByText("Here is your answer <b>in full</b>.")).toBeVisible();

  await widget(page).getByRole("button", { name: "Email me this conversation" }).click();
  const card = widget(page).getByRole("group", { name: "Email me this conversation" });
  const address = `lee.${Date.now()}@example.com`;
  // No address known yet: the card asks for one (the ask card's would do as well).
  await card.getByRole("textbox", { name: "Email" }).fill(address);
  await card.getByRole("button", { name: "Send by email" }).click();
  await expect(card.getByText(`Sent to ${address}`)).toBeVisible();

  const got = await mail.nth(1, address);
  expect(got.parsed.subject).toBe("Your conversation with Website");
  expect(got.parsed.text).toContain(text);
  expect(got.parsed.text).toContain("Here is your answer <b>in full</b>.");
  expect(String(got.parsed.html)).toContain("Here is your answer &lt;b&gt;in full&lt;/b&gt;.");
  await online.close();
});

test("with nobody online the away form asks for an address and promises a reply there; the agent finds it on the queued conversation", async ({ page }) => {
  await page.goto(host!.url);
  await launcher(page).click();
  // The other tests' agents have left.
  await expect(widget(page).getByText("Nobody is online right now.")).toBeVisible({ timeout: 10_000 });
  const text = `Away test ${crypto.randomUUID()}`;
  await typeMessage(page, text);
  await messageField(page).press("Enter");
  await expect(transcript(page).getByText(text)).toBeVisible();
  // The away form asks for the address itself: no second ask beside it.
  await expect(askCard(page)).toBeHidden();
  const away = widget(page).locator(".sd-away");
  const address = `mo.${Date.now()}@example.com`;
  await away.getByRole("textbox", { name: "Email", exact: true }).fill(address);
  await away.getByRole("button", { name: "Notify me" }).click();
  await expect(away.getByText(`We'll reply to ${address}.`)).toBeVisible();

  const id = (await agent.conversationWith(text))!;
  expect(await agent.tab("queue")).toContain(id);
  const queue = await (await request.get("/inbox/list?tab=queue")).text();
  const row = queue.slice(queue.indexOf(`id="conv-row-${id}"`)).split("</li>")[0]!;
  expect(row).toContain(address);
  expect(row).toContain("Offline: reply by email");
  // Answered in the chat, it is live again: the mark goes (the reply email still goes out).
  await agent.reply(id, "Here now, answering in the chat.");
  const open = await (await request.get("/inbox/list?tab=open")).text();
  const answered = open.slice(open.indexOf(`id="conv-row-${id}"`)).split("</li>")[0]!;
  expect(answered).toContain("Here now, answering in the chat.");
  expect(answered).not.toContain("Offline: reply by email");
});

test("the hosted chat page of a reply email's link shows the conversation with the reply, and the customer answers live, under its CSP", async ({ browser }) => {
  const online = await agentInInbox(browser);
  const customer = await browser.newPage();
  const text = `Link test ${crypto.randomUUID()}`;
  const session = customer.waitForResponse((res) => res.url().endsWith("/api/v1/widget/session"));
  await customerWrites(customer, text);
  const contactId = ((await (await session).json()) as { contact: { id: string } }).contact.id;
  const id = (await agent.conversationWith(text))!;
  await agent.reply(id, "Answered while you were away.");
  // The customer has left; the reply email's link brings them back.
  await customer.close();

  const context = await browser.newContext({ baseURL: BASE });
  const violations = await recordPolicyViolations(context);
  const page = await context.newPage();
  await page.goto(`/chat/${chatLinkToken(SESSION_SECRET, { conversationId: id, contactId })}`);
  const log = page.getByRole("region", { name: "Messages", exact: true });
  await expect(log.getByText("Answered while you were away.")).toBeVisible();
  await expect(log.getByText(text)).toBeVisible();
  await page.getByRole("textbox", { name: "Message", exact: true }).fill("Thanks, got it from the email");
  await page.getByRole("textbox", { name: "Message", exact: true }).press("Enter");
  await expect.poll(async () => agent.pane(id)).toContain("Thanks, got it from the email");
  expect(violations.all()).toEqual([]);
  await context.close();
  await online.close();
});
