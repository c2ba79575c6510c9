// Links and formatting in messages, in both places: a customer's bold and tracking link reach the
// agent's inbox rendered (a link that opens apart), an agent's Markdown reply renders in the widget,
// and a javascript: link or an XSS payload typed by either side never runs nor adds an element.
import { expect, test, type Dialog, type Locator, type Page } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { signedInPage } from "./support/sign-in.ts";
import { messageField, pending, transcript, typeMessage, useShop, widget } from "./support/widget-page.ts";

const shop = useShop();
// Each test's agent page is closed after it, whatever happened: an inbox left open keeps an agent
// online, and later specs in this worker expect nobody to be.
const agentPages: Page[] = [];
test.afterEach(async () => {
  for (const page of agentPages.splice(0)) await page.context().close();
});
const REL = "noopener noreferrer nofollow ugc";
const TRACKING = "https://example.com/track?id=1";

/** The agent's page on one conversation, live. */
async function agentOn(page: Page, id: string) {
  await page.goto(`/inbox/c/${id}`);
  await expect(page.locator("#live-status")).toHaveAttribute("data-state", "live");
  return page.locator(`#messages-${id}`);
}

/** The customer writes in the widget and waits until the message is stored (no longer in the outbox). */
async function customerSends(page: Page, text: string) {
  await typeMessage(page, text);
  await messageField(page).press("Enter");
  await expect(pending(page)).toHaveCount(0, { timeout: 10_000 });
}

async function agentSends(page: Page, text: string) {
  const field = page.getByRole("textbox", { name: "Reply" });
  await field.fill(text);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(field).toHaveValue("");
}

async function expectSafeLink(link: Locator, href: string) {
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute("href", href);
  await expect(link).toHaveAttribute("rel", REL);
  await expect(link).toHaveAttribute("target", "_blank");
}

test("a customer's bold and link reach the agent rendered; the agent's Markdown reply renders in the widget", async ({ page, browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  await shop.waitInQueue(page, "Formatting, please");
  const id = (await api.conversationWith("Formatting, please"))!;
  await api.claim(id);
  const agent = await signedInPage(browser, baseURL!, ADMIN);
  agentPages.push(agent);
  const inboxTranscript = await agentOn(agent, id);

  // Both composers say what they render.
  await expect(agent.getByText(/links are detected/)).toBeVisible();
  await expect(widget(page).getByText("**bold**, _italic_, `code`, lists · links are detected")).toBeVisible();

  // The customer writes while the agent looks on: the message arrives live, rendered.
  await customerSends(page, `**UPS** tracking ${TRACKING}`);
  const fromCustomer = inboxTranscript.locator("article.message-customer").filter({ hasText: "tracking" });
  await expect(fromCustomer.locator("strong")).toHaveText("UPS");
  await expectSafeLink(fromCustomer.getByRole("link", { name: TRACKING }), TRACKING);
  await expect(fromCustomer).not.toContainText("**");
  // The customer's own message, once stored, shows the same rendering.
  await expect(transcript(page).locator("strong", { hasText: "UPS" })).toBeVisible();

  await agentSends(agent, "It is **on its way**:\n- carrier: `UPS`\n- [track it](https://example.com/t/42)\n\n1. open the box\n2. enjoy");
  const log = transcript(page);
  await expect(log.locator("strong", { hasText: "on its way" })).toBeVisible();
  // (The transcript's rows are list items too: the reply's list is the one inside its bubble.)
  const bubble = log.locator(".sd-bub").filter({ hasText: "on its way" });
  await expect(bubble.getByRole("listitem")).toHaveText(["carrier: UPS", "track it", "open the box", "enjoy"]);
  // Shown as lists: bullets and numbers, not the transcript's own (unmarked) list style.
  const marker = (list: Locator) => list.evaluate((element) => getComputedStyle(element).listStyleType);
  expect([await marker(bubble.locator("ul")), await marker(bubble.locator("ol"))]).toEqual(["disc", "decimal"]);
  await expect(bubble.locator("li code")).toHaveText("UPS");
  await expectSafeLink(bubble.getByRole("link", { name: "track it" }), "https://example.com/t/42");
  // And in the inbox, the agent's own reply the same.
  await expect(inboxTranscript.locator("article.message-agent strong", { hasText: "on its way" })).toBeVisible();
  await request.dispose();
});

test("a javascript: link and an XSS payload, from either side, never run and add no element, in the widget or the inbox", async ({ page, browser, playwright, baseURL }) => {
  const dialogs: string[] = [];
  const onDialog = (dialog: Dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  };
  page.on("dialog", onDialog);
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  await shop.waitInQueue(page, "XSS check");
  const id = (await api.conversationWith("XSS check"))!;
  await api.claim(id);
  const agent = await signedInPage(browser, baseURL!, ADMIN);
  agentPages.push(agent);
  agent.on("dialog", onDialog);
  const inboxTranscript = await agentOn(agent, id);

  const payload = (who: string) =>
    `${who}: [click me](javascript:alert(1)) [again](JaVaScRiPt:alert(2)) [data](data:text/html,<script>alert(3)</script>) ` +
    `<img src=x onerror=alert(4)> <script>alert(5)</script> <svg onload=alert(6)> **[x](https://example.com" onmouseover="alert(7))**`;
  await customerSends(page, payload("customer"));
  await agentSends(agent, payload("agent"));

  const inWidget = transcript(page);
  const bodies = [
    inWidget.locator(".sd-bub").filter({ hasText: "customer: [click me]" }),
    inWidget.locator(".sd-bub").filter({ hasText: "agent: [click me]" }),
    inboxTranscript.locator(".message-body").filter({ hasText: "customer: [click me]" }),
    inboxTranscript.locator(".message-body").filter({ hasText: "agent: [click me]" }),
  ];
  for (const body of bodies) {
    // Shown as the words typed: the links' Markdown and the tags as text.
    await expect(body).toContainText("[click me](javascript:alert(1)) [again](JaVaScRiPt:alert(2))");
    await expect(body).toContainText("<img src=x onerror=alert(4)> <script>alert(5)</script> <svg onload=alert(6)>");
    await expect(body.locator("img, script, svg, iframe, [onerror], [onload], [onmouseover]")).toHaveCount(0);
    // No link of a scheme other than http(s)/mailto; the one link there is escaped into its href.
    const hrefs = await body.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    for (const href of hrefs) expect(href).toMatch(/^(https?:|mailto:)/);
  }
  // Hovering and clicking what looks like a link runs nothing either.
  await bodies[0]!.getByText("[click me](javascript:alert(1))", { exact: false }).click();
  await bodies[2]!.hover();
  expect(dialogs).toEqual([]);
  await request.dispose();
});
