import { expect, test, type APIRequestContext } from "@playwright/test";
import { smtpCapture, type SmtpCapture } from "../src/testing/smtp-capture.ts";
import { signedInAgent } from "./support/agent-api.ts";
import { recordPolicyViolations } from "./support/csp-recorder.ts";
import { E2E_PORT, startOwnInstance } from "./support/own-instance.ts";

// CSAT by email (issue 16 item 5): the customer who left gets the agent's last reply by email after
// the conversation was closed; the email asks "How was your conversation?" with five links. One
// opens a page with that answer chosen; the customer adds a comment and sends it; the agent sees
// the rating in the conversation's timeline. A SupportDesk of its own, mailing this process.

const PORT = E2E_PORT + 10;
const BASE = `http://127.0.0.1:${PORT}`;

let mail: SmtpCapture;
let server: Awaited<ReturnType<typeof startOwnInstance>> | undefined;
let request: APIRequestContext;

test.use({ baseURL: BASE });
test.beforeAll(async ({ playwright }) => {
  mail = await smtpCapture();
  server = await startOwnInstance(PORT, { SMTP_URL: mail.url, MAIL_FROM: "Shop Support <support@example.com>", REPLY_EMAIL_DELAY_SECONDS: "1" });
  request = await playwright.request.newContext({ baseURL: BASE });
});
test.afterAll(async () => {
  await request?.dispose();
  await server?.stop();
  await mail?.close();
});

test("the rating link in the email opens a page with its answer chosen; the customer adds a comment and sends it; the agent sees it", async ({ browser }) => {
  const agent = await signedInAgent(request, BASE);
  // The customer writes, leaves an address (nobody is online) and goes.
  const { token } = await (await request.post("/api/v1/widget/session", { data: { inbox: await agent.defaultInboxKey() } })).json();
  const auth = { authorization: `Bearer ${token}` };
  const question = `Can I change my delivery address ${crypto.randomUUID().slice(0, 8)}?`;
  await request.post("/api/v1/widget/messages", { data: { clientId: crypto.randomUUID(), body: question }, headers: auth });
  const address = `lee.${Date.now()}@example.com`;
  expect((await request.post("/api/v1/widget/away", { data: { email: address }, headers: auth })).status()).toBe(200);

  const id = (await agent.conversationWith(question))!;
  await agent.reply(id, "Done: it goes to your new address.");
  await agent.close(id);
  const email = await mail.nth(1, address, 20_000);
  expect(email.parsed.text).toContain("How was your conversation?");
  const good = /<a href="([^"]*\/rate\/[^"]+)"[^>]*>Good<\/a>/.exec(String(email.parsed.html))![1]!;

  const context = await browser.newContext();
  const violations = await recordPolicyViolations(context);
  const page = await context.newPage();
  await page.goto(good);
  await expect(page.getByRole("heading", { name: "How was your conversation?" })).toBeVisible();
  const choices = page.getByRole("radiogroup", { name: "How was your conversation?" });
  await expect(choices.getByRole("radio", { name: "Good" })).toBeChecked();
  // Opening the link recorded nothing.
  expect(await agent.pane(id)).not.toContain("rated this conversation");

  await choices.getByRole("radio", { name: "Great" }).check();
  await page.getByRole("textbox", { name: "Anything to add? (optional)" }).fill("Quick and friendly, thanks!");
  await page.getByRole("button", { name: "Send rating" }).click();
  await expect(page.getByRole("heading", { name: "Thank you for your rating!" })).toBeVisible();

  const pane = await agent.pane(id);
  expect(pane).toContain("The customer rated this conversation Great (5/5)");
  expect(pane).toContain("Quick and friendly, thanks!");
  // Back to the form (kept by no cache, so asked again): it says it was rated, with no form to send.
  await page.goBack();
  await expect(page.getByRole("heading", { name: "Already rated" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send rating" })).toHaveCount(0);
  expect(violations.all()).toEqual([]);
  await context.close();
});
