// The round trip, both UIs at once: the customer pastes a screenshot into the widget and
// sends it alone, the agent sees it inline, live, and sends a PDF back with "Attach a file", and
// the customer downloads it from the widget.
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { signedInPage } from "./support/sign-in.ts";
import { chips, pasteFiles, PNG } from "./support/widget-files.ts";
import { messageField, pending, transcript, useShop } from "./support/widget-page.ts";

const shop = useShop();
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
const agentPages: Page[] = [];
test.afterEach(async () => {
  for (const page of agentPages.splice(0)) await page.context().close();
});

test("a pasted screenshot reaches the agent inline and live; the agent's PDF reaches the customer, who downloads it", async ({ page, browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  const text = `Round trip ${crypto.randomUUID()}`;
  await shop.waitInQueue(page, text);
  const id = (await api.conversationWith(text))!;
  await api.claim(id);
  const agent = await signedInPage(browser, baseURL!, ADMIN);
  agentPages.push(agent);
  await agent.goto(`/inbox/c/${id}`);
  await expect(agent.locator("#live-status")).toHaveAttribute("data-state", "live");
  const inbox = agent.locator(`#messages-${id}`);

  // The customer pastes a screenshot and sends it without a word.
  await pasteFiles(page, [{ name: "screenshot.png", type: "image/png", base64: PNG.toString("base64") }]);
  await expect(chips(page)).toHaveCount(1);
  await messageField(page).press("Enter");
  await expect(pending(page)).toHaveCount(0, { timeout: 10_000 });
  const shot = inbox.getByRole("img", { name: "screenshot.png" });
  await expect(shot).toBeVisible();
  await expect.poll(() => shot.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);

  // The agent answers with a PDF.
  const chooser = agent.waitForEvent("filechooser");
  await agent.getByRole("button", { name: "Attach a file" }).click();
  await (await chooser).setFiles([{ name: "invoice.pdf", mimeType: "application/pdf", buffer: PDF }]);
  await expect(agent.locator(".pending-file", { hasText: "invoice.pdf" })).toBeVisible();
  await agent.getByRole("textbox", { name: "Reply" }).fill("Here is your invoice");
  await agent.getByRole("button", { name: "Send", exact: true }).click();

  // The customer sees it and downloads it.
  const link = transcript(page).getByRole("link", { name: /invoice\.pdf/ });
  await expect(link).toBeVisible();
  // The link is what a click opens (a new tab, which the answer turns into a download): fetched
  // as the customer's browser, it is the PDF, as an attachment named after it.
  const href = (await link.getAttribute("href"))!;
  expect(href).toMatch(/\/api\/v1\/widget\/files\/[0-9a-f-]{36}\?e=\d+&s=/);
  const answer = await page.request.get(href);
  expect(answer.status()).toBe(200);
  expect(answer.headers()["content-disposition"]).toBe(`attachment; filename="invoice.pdf"; filename*=UTF-8''invoice.pdf`);
  expect(Buffer.from(await answer.body()).equals(PDF)).toBe(true);
  await api.close(id);
  await request.dispose();
});
