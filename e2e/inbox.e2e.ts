import { expect, test, type Browser, type Page } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { startHostPage } from "./support/host-page.ts";
import { signedInPage } from "./support/sign-in.ts";
import { identityHash } from "../src/widget/identity.ts";
import { installSdkStub, launcher, messageField, snippetFor, transcript, typeMessage, waitInQueue, widget } from "./support/widget-page.ts";

// The agents' inbox in a browser, with a customer on a shop's page of another origin.

let host: Awaited<ReturnType<typeof startHostPage>>;
let snippet: string;

test.beforeAll(async ({ playwright, baseURL }) => {
  host = await startHostPage(new URL(baseURL!).origin);
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  snippet = snippetFor(new URL(baseURL!).origin, await agent.defaultInboxKey());
  await request.dispose();
});
test.afterAll(() => host?.close());

/** An agent signed in through the login page, in a browser context of their own. */
async function agentPage(browser: Browser, baseURL: string, who = ADMIN): Promise<Page> {
  const page = await signedInPage(browser, baseURL, who);
  await expect(page.locator("#live-status")).toHaveAttribute("data-state", "live");
  return page;
}

const pane = (page: Page) => page.locator("#pane");
const reply = async (page: Page, text: string) => {
  const field = pane(page).getByRole("textbox", { name: "Reply" });
  await field.fill(text);
  await field.press("Enter");
  await expect(field).toHaveValue("");
};

test("customer to agent and back: queue, accept, both write, close, the customer writes again and it reopens", async ({ page: customer, browser, baseURL }) => {
  const agent = await agentPage(browser, baseURL!);
  await agent.getByRole("link", { name: /^Queue/ }).click();
  await expect(agent).toHaveURL(/tab=queue/);

  // The customer writes on the shop's site and asks for a human.
  const first = `Where is my parcel? ${crypto.randomUUID().slice(0, 8)}`;
  await waitInQueue(customer, host, snippet, first);

  // The queue shows it live, with its last messages and Claim.
  const row = agent.locator(".conversation-row", { hasText: first });
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: /^Claim/ }).click();
  await expect(pane(agent).getByText(first)).toBeVisible();
  await expect(agent).toHaveURL(/\/inbox\/c\/[0-9a-f-]{36}/);
  await expect(widget(customer).getByText("Ana Admin joined the chat")).toBeVisible();
  // Beside it, where the customer is: the shop's page the widget was opened on, and the browser.
  await expect(pane(agent).locator(".contact-page a")).toHaveAttribute("href", customer.url());
  await expect(pane(agent).getByText(/^Chrom(e|ium) \d+ on Linux$/)).toBeVisible();

  // Both write; each sees the other's messages live, once.
  await reply(agent, "Hello! Let me check.");
  await expect(transcript(customer).getByText("Hello! Let me check.")).toBeVisible();
  await reply(agent, "It left our warehouse today.");
  await expect(transcript(customer).getByText("It left our warehouse today.")).toBeVisible();
  await typeMessage(customer, "Great, thanks");
  await messageField(customer).press("Enter");
  await expect(pane(agent).getByText("Great, thanks")).toHaveCount(1);
  await expect(pane(agent).getByText("It left our warehouse today.")).toHaveCount(1);

  // The agent closes it; the customer is told; writing again reopens it for the agent.
  await pane(agent).getByRole("button", { name: "Close", exact: true }).click();
  await expect(widget(customer).getByText(/Conversation closed/)).toBeVisible();
  await expect(pane(agent).getByRole("button", { name: "Reopen", exact: true })).toBeVisible();
  // A reply to a closed conversation is refused: the form says why and keeps the text.
  const field = pane(agent).getByRole("textbox", { name: "Reply" });
  await field.fill("Anything else?");
  await field.press("Enter");
  await expect(pane(agent).getByText(/Reopen it first/)).toBeVisible();
  await expect(field).toHaveValue("Anything else?");
  await typeMessage(customer, "One more thing");
  await messageField(customer).press("Enter");
  await expect(pane(agent).getByText("One more thing")).toBeVisible();
  await expect(pane(agent).getByRole("button", { name: "Close", exact: true })).toBeVisible();
  // Now it goes, once, and the form is empty again.
  await field.press("Enter");
  await expect(field).toHaveValue("");
  await expect(transcript(customer).getByText("Anything else?")).toHaveCount(1);
  await agent.context().close();
});

test("a customer named with markup who writes a script is shown as text in the list, the conversation and the widget; no dialog opens", async ({ page: customer, browser, playwright, baseURL }) => {
  const dialogs: string[] = [];
  customer.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  // The shop vouches for a signed-in user whose name is markup: the HMAC uses the inbox's secret,
  // read from its settings page as the shop's developer would.
  const request = await playwright.request.newContext({ baseURL });
  const secret = await (await signedInAgent(request, baseURL!)).identitySecret();
  const inboxKey = snippet.match(/data-inbox="([^"]+)"/)![1]!;
  const name = "<img src=x onerror=alert(1)>";
  const userId = `xss-${crypto.randomUUID()}`;
  await installSdkStub(customer, [["boot", { inbox: inboxKey, user: { id: userId, name, hash: identityHash(secret, userId) } }]]);
  host.set({ snippet: snippet.replace(/ data-inbox="[^"]+"/, "") });
  await customer.goto(host.url);
  await launcher(customer).click();
  const script = "<script>alert(1)</script>";
  await typeMessage(customer, script);
  await messageField(customer).press("Enter");
  await widget(customer).getByRole("button", { name: "Talk to a human" }).click();
  await expect(transcript(customer).getByText(script, { exact: true })).toBeVisible();

  const agent = await agentPage(browser, baseURL!);
  agent.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await agent.getByRole("link", { name: /^Queue/ }).click();
  const row = agent.locator(".conversation-row", { hasText: name });
  await expect(row).toBeVisible();
  await expect(row.getByText(script).first()).toBeVisible();
  await row.getByRole("button", { name: /^Claim/ }).click();
  await expect(pane(agent).getByRole("heading", { name })).toBeVisible();
  await expect(pane(agent).getByText(script, { exact: true })).toBeVisible();
  await expect(agent.locator("img[src=x]")).toHaveCount(0);
  await expect(customer.locator("img[src=x]")).toHaveCount(0);
  expect(dialogs).toEqual([]);
  await agent.context().close();
  await request.dispose();
});

const BEN = { name: "Ben Agent", email: `ben.${Date.now()}@example.com`, password: "another long password" };

test("an admin invites an agent, who accepts, signs in and sees the live inbox", async ({ browser, baseURL }) => {
  const admin = await agentPage(browser, baseURL!);
  await admin.goto("/settings/agents");
  await admin.getByLabel("Email").fill(BEN.email);
  await admin.getByLabel("Role").selectOption("agent");
  await admin.getByRole("button", { name: "Send invite" }).click();
  const link = await admin.getByLabel(/Invite link for/).inputValue();
  expect(link).toMatch(/\/invites\/[A-Za-z0-9_-]{20,}$/);

  const ben = await (await browser.newContext({ baseURL })).newPage();
  await ben.goto(link);
  await expect(ben.getByRole("heading", { name: "Join SupportDesk" })).toBeVisible();
  await ben.getByLabel("Name").fill(BEN.name);
  await ben.getByLabel("Password").fill(BEN.password);
  await ben.getByRole("button", { name: "Create account" }).click();
  await expect(ben).toHaveURL(/\/inbox/);
  await expect(ben.locator("#live-status")).toHaveAttribute("data-state", "live");
  await expect(ben.getByText(BEN.name)).toBeVisible();
  // The link worked once.
  await ben.goto(link);
  await expect(ben.getByRole("heading", { name: "This invite link does not work" })).toBeVisible();

  // Ben signs out and back in with his new password.
  await ben.goto("/inbox");
  await ben.getByRole("button", { name: "Sign out" }).click();
  await expect(ben).toHaveURL(/\/login$/);
  await ben.context().close();
  const again = await agentPage(browser, baseURL!, BEN);
  await expect(again.getByText(BEN.name)).toBeVisible();
  await again.context().close();
  await admin.context().close();
});

test("two agents accept the same conversation at once: exactly one gets it, the other is told who", async ({ page: customer, browser, baseURL }) => {
  const ana = await agentPage(browser, baseURL!);
  const ben = await agentPage(browser, baseURL!, BEN); // invited by the previous test
  for (const agent of [ana, ben]) await agent.getByRole("link", { name: /^Queue/ }).click();

  const text = `Both want this ${crypto.randomUUID().slice(0, 8)}`;
  await waitInQueue(customer, host, snippet, text);

  const accept = (agent: Page) => agent.locator(".conversation-row", { hasText: text }).getByRole("button", { name: /^Claim/ });
  await expect(accept(ana)).toBeVisible();
  await expect(accept(ben)).toBeVisible();
  // Both press at once, before either hears of the other's claim: a click would first wait for the
  // button to be still, and meanwhile the first claim's broadcast may take the row away.
  await Promise.all([accept(ana).dispatchEvent("click"), accept(ben).dispatchEvent("click")]);

  const got = async (agent: Page) => (await pane(agent).getByText(text).count()) > 0;
  await expect.poll(async () => (await got(ana)) || (await got(ben))).toBe(true);
  const [anaGot, benGot] = [await got(ana), await got(ben)];
  expect(anaGot !== benGot).toBe(true);
  const [winner, loser] = anaGot ? [ana, ben] : [ben, ana];
  const winnerName = anaGot ? ADMIN.name : BEN.name;
  await expect(loser.getByText(new RegExp(`(Already taken by|already took).*|${winnerName}.*(took|taken)`))).toBeVisible();
  await expect(widget(customer).getByText(`${winnerName} joined the chat`)).toBeVisible();
  await expect(winner.locator("#pane")).toContainText(text);
  for (const agent of [ana, ben]) await agent.context().close();
});

test("reading in the inbox shows Seen to the customer, but not while the agent's tab is hidden", async ({ page: customer, browser, baseURL }) => {
  const agent = await agentPage(browser, baseURL!);
  const reports: string[] = [];
  agent.on("request", (r) => {
    if (r.method() === "POST" && /\/inbox\/c\/[0-9a-f-]{36}\/viewed$/.test(r.url())) reports.push(r.postData() ?? "");
  });
  await agent.getByRole("link", { name: /^Queue/ }).click();
  const first = `Can you see this? ${crypto.randomUUID().slice(0, 8)}`;
  await waitInQueue(customer, host, snippet, first);
  const row = agent.locator(".conversation-row", { hasText: first });
  await row.getByRole("button", { name: /^Claim/ }).click();
  await expect(pane(agent).getByText(first)).toBeVisible();

  // The customer's message row, and "Seen" under it (each row has its own, shown or not).
  const seenUnder = (text: string) => transcript(customer).locator("li", { hasText: text }).getByText("Seen").filter({ visible: true });
  await expect(seenUnder(first)).toHaveCount(1);
  const newestSeq = async () => Math.max(...(await pane(agent).locator("[data-seq]").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-seq"))))));

  // A burst: the pane reports what it shows, without a request per message. Reports are held until
  // the burst is on screen, so however slowly it arrives, reasons that come while one is in flight
  // wait for it and make one report after it: two at most, where one per message would be three.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await agent.route(/\/inbox\/c\/[0-9a-f-]{36}\/viewed$/, (route) => held.then(() => route.continue()));
  const before = reports.length;
  for (const text of ["one", "two", "three"]) {
    await typeMessage(customer, text);
    await messageField(customer).press("Enter");
  }
  await expect(pane(agent).getByText("three", { exact: true })).toBeVisible();
  release();
  await expect(seenUnder("three")).toHaveCount(1);
  await expect(seenUnder(first)).toHaveCount(0);
  expect(reports.at(-1)).toBe(`seq=${await newestSeq()}`);
  expect(reports.length - before).toBeLessThanOrEqual(2);

  // The agent switches to another tab: what arrives meanwhile is not reported as seen.
  const setVisibility = (state: "hidden" | "visible") =>
    agent.evaluate((s) => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => s });
      document.dispatchEvent(new Event("visibilitychange"));
    }, state);
  await setVisibility("hidden");
  const hiddenAt = reports.length;
  await typeMessage(customer, "while away");
  await messageField(customer).press("Enter");
  await expect(pane(agent).getByText("while away")).toBeVisible();
  // The pane decides when a message arrives (public/conversation.js): a report it schedules marks
  // the seq as reported at once. Still below the newest seq: no report is coming.
  expect(Number(await pane(agent).locator("section.conversation").getAttribute("data-agent-read-seq"))).toBeLessThan(await newestSeq());
  expect(reports.length).toBe(hiddenAt);
  // "Seen" belongs under the customer's newest message: it is gone until the agent is back.
  await expect(transcript(customer).getByText("Seen").filter({ visible: true })).toHaveCount(0);

  await setVisibility("visible");
  await expect(seenUnder("while away")).toHaveCount(1);
  expect(reports.at(-1)).toBe(`seq=${await newestSeq()}`);
  await agent.context().close();
});
