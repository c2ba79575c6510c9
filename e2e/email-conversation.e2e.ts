import { expect, test, type APIRequestContext } from "@playwright/test";
import nodemailer from "nodemailer";
import { smtpCapture, type SmtpCapture } from "../src/testing/smtp-capture.ts";
import { signedInAgent } from "./support/agent-api.ts";
import { startHostPage } from "./support/host-page.ts";
import { E2E_PORT, startOwnInstance } from "./support/own-instance.ts";
import { launcher, messageField, snippetFor, transcript, typeMessage, widget } from "./support/widget-page.ts";

// A conversation that outlives the tab (issue 14), end to end against a SupportDesk of its own that
// mails an SMTP server in this process and receives replies on its own SMTP listener: the customer
// leaves an address and closes the tab, the agent replies, the reply email arrives (the delay
// shortened by REPLY_EMAIL_DELAY_SECONDS), its link opens the chat with the reply, and answering the
// email shows up in the agent's open conversation, live, without the quoted email.

const PORT = E2E_PORT + 7;
const INBOUND_PORT = E2E_PORT + 9;
const BASE = `http://127.0.0.1:${PORT}`;
const DOMAIN = "reply.example.test";

let mail: SmtpCapture;
let server: Awaited<ReturnType<typeof startOwnInstance>> | undefined;
let host: Awaited<ReturnType<typeof startHostPage>> | undefined;
let request: APIRequestContext;

test.use({ baseURL: BASE });
test.beforeAll(async ({ playwright }) => {
  mail = await smtpCapture();
  server = await startOwnInstance(PORT, {
    SMTP_URL: mail.url,
    MAIL_FROM: "Shop Support <support@example.com>",
    INBOUND_EMAIL_DOMAIN: DOMAIN,
    SMTP_INBOUND_PORT: String(INBOUND_PORT),
    REPLY_EMAIL_DELAY_SECONDS: "2",
  });
  host = await startHostPage(BASE, E2E_PORT + 8);
  request = await playwright.request.newContext({ baseURL: BASE });
  const agent = await signedInAgent(request, BASE);
  host.set({ snippet: snippetFor(BASE, await agent.defaultInboxKey()) });
});
test.afterAll(async () => {
  await request?.dispose();
  await host?.close();
  await server?.stop();
  await mail?.close();
});

test("the customer leaves an address and the tab; the reply comes by email, its link reopens the chat, and an answer by email reaches the agent live", async ({ browser }) => {
  // The agent is in the inbox (so the widget shows the team online and asks for an address inline).
  const agentContext = await browser.newContext({ storageState: await request.storageState(), baseURL: BASE });
  const agentPage = await agentContext.newPage();
  await agentPage.goto("/inbox");

  const customer = await (await browser.newContext()).newPage();
  await customer.goto(host!.url);
  await launcher(customer).click();
  const question = `Where is my order ${crypto.randomUUID().slice(0, 8)}?`;
  await typeMessage(customer, question);
  await messageField(customer).press("Enter");
  await expect(transcript(customer).getByText(question, { exact: true })).toBeVisible();
  const ask = widget(customer).getByRole("group", { name: "Get notified by email when we reply" });
  const address = `kim.${Date.now()}@example.com`;
  await ask.getByRole("textbox", { name: "Email" }).fill(address);
  await ask.getByRole("button", { name: "Notify me" }).click();
  await expect(transcript(customer).getByText(`We'll email ${address} when we reply.`)).toBeVisible();
  await customer.context().close();

  // The agent finds the conversation, opens it and replies through the composer.
  const agent = await signedInAgent(request, BASE);
  const id = (await agent.conversationWith(question))!;
  await agentPage.goto(`/inbox/c/${id}`);
  const reply = "It left our warehouse today; the tracking number is 1Z999.";
  const field = agentPage.getByRole("textbox", { name: "Reply" });
  await field.fill(reply);
  await field.press("Enter");
  await expect(agentPage.locator("#pane").getByText(reply)).toBeVisible();

  // The email, once the (shortened) delay has passed with the reply unread.
  const email = await mail.nth(1, address, 20_000);
  expect(email.parsed.subject).toBe("New reply from Website");
  expect(email.parsed.text).toContain(reply);
  const replyTo = email.parsed.replyTo?.value[0]?.address ?? "";
  expect(replyTo).toMatch(new RegExp(`^reply\\+[0-9a-z-]+@${DOMAIN.replaceAll(".", "\\.")}$`));
  const link = /href="([^"]*\/chat\/[^"]+)"/.exec(String(email.parsed.html))![1]!.replaceAll("&amp;", "&");

  // The link opens the chat with the reply, on a device that never had the widget.
  const later = await (await browser.newContext()).newPage();
  await later.goto(link);
  await expect(later.getByRole("region", { name: "Messages", exact: true }).getByText(reply)).toBeVisible();
  await later.context().close();

  // The customer answers the email from their mail client (quoted history below their words).
  const answer = "Thanks, that is all I needed.";
  const smtp = nodemailer.createTransport({ host: "127.0.0.1", port: INBOUND_PORT, secure: false, ignoreTLS: true });
  await smtp.sendMail({
    from: address,
    to: replyTo,
    subject: `Re: ${email.parsed.subject}`,
    inReplyTo: email.parsed.messageId,
    references: email.parsed.messageId,
    text: `${answer}\n\nOn Sun, 6 Dec 2026 at 10:00, Website <support@example.com> wrote:\n> ${reply}\n`,
  });
  smtp.close();
  const pane = agentPage.locator("#pane");
  await expect(pane.getByText(answer)).toBeVisible();
  // Once, and without the quote: the agent's reply is in the pane once (theirs), never twice.
  await expect(pane.getByText(reply)).toHaveCount(1);
  await agentContext.close();
});
