// Files from the customer's side: the paperclip and a paste, progress and cancel, refusals a
// customer understands, a reload in the middle of an upload, and file names that are only text.
// (The agent's side, and a PDF sent back, are in the inbox's own tests.)
import { expect, test, type APIRequestContext, type Dialog, type Page, type PlaywrightWorkerArgs } from "@playwright/test";
import { signedInAgent } from "./support/agent-api.ts";
import { attachWithPaperclip, chips, errorLine, EXECUTABLE, holdUploads, keptFiles, pasteFiles, PNG, png, visitorMessages } from "./support/widget-files.ts";
import { launcher, messageField, notSent, pending, transcript, typeMessage, useShop, widget } from "./support/widget-page.ts";

const shop = useShop();
const uploadUrl = /\/api\/v1\/widget\/files\?/;
/** The messages stored with this text, each as its files' names (read back over the widget API). */
async function stored(page: Page, request: APIRequestContext, text: string) {
  const messages = await visitorMessages(page, request, shop.inboxKey);
  return messages.filter((m) => m.body === text).map((m) => (m.attachments ?? []).map((f) => `${f.name}${f.image ? " (image)" : ""}`));
}

// Each test's conversation is closed after it: later specs expect an empty queue ("number 1").
const cleanups: (() => Promise<void>)[] = [];
test.afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A visitor in the queue, and the agent's view of their conversation. */
async function customerInQueue(page: Page, playwright: PlaywrightWorkerArgs["playwright"], baseURL: string, text: string) {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL);
  await shop.waitInQueue(page, text);
  const id = (await agent.conversationWith(text))!;
  cleanups.push(async () => {
    await agent.close(id);
    await request.dispose();
  });
  return { agent, id, request };
}

/** The customer's message whose text is `text`, in the transcript. */
const row = (page: Page, text: string) => transcript(page).getByRole("listitem").filter({ hasText: text });

test("an image chosen with the paperclip and one pasted upload with a progress bar, wait in the outbox, and arrive inline in one message", async ({ page, playwright, baseURL }) => {
  const { agent, id, request } = await customerInQueue(page, playwright, baseURL!, `Screenshots ${crypto.randomUUID()}`);
  const uploads = await holdUploads(page);

  await attachWithPaperclip(page, [png("photo.png")]);
  const photo = chips(page).filter({ hasText: "photo.png" });
  await expect(photo).toContainText(`${PNG.length} B`);
  await expect(photo.getByRole("progressbar")).toBeVisible();
  await expect(photo.getByRole("button", { name: "Remove photo.png" })).toBeVisible();
  await pasteFiles(page, [{ name: "pasted.png", type: "image/png", base64: PNG.toString("base64") }]);
  await expect(chips(page)).toHaveCount(2);
  await expect.poll(() => uploads.started).toBe(2); // each began at once

  const caption = `Here they are ${crypto.randomUUID()}`;
  await typeMessage(page, caption);
  await messageField(page).press("Enter");
  await expect(chips(page)).toHaveCount(0);
  // Sending, with its files, until they are uploaded.
  await expect(pending(page)).toBeVisible();
  await expect(row(page, caption)).toContainText(`photo.png · ${PNG.length} B`);
  uploads.release();
  await expect(pending(page)).toHaveCount(0, { timeout: 10_000 });

  for (const name of ["photo.png", "pasted.png"]) {
    const image = row(page, caption).getByRole("img", { name, exact: true });
    await expect(image).toBeVisible();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1); // loaded through its signed link
    const link = row(page, caption).getByRole("link", { name, exact: true });
    await expect(link).toHaveAttribute("target", "_blank");
    await expect(link).toHaveAttribute("href", /\/api\/v1\/widget\/files\/[0-9a-f-]{36}\?e=\d+&s=/);
  }
  // Stored once, as one message with both images, which the agent's inbox shows.
  expect(await stored(page, request, caption)).toEqual([["photo.png (image)", "pasted.png (image)"]]);
  await expect.poll(async () => (await agent.pane(id)).split(caption).length - 1).toBe(1);
  expect((await agent.pane(id)).match(/<img src="\/files\/[^"]+" alt="(photo|pasted)\.png"/g)?.length).toBe(2);
});

test("an 11 MB file and an executable named invoice.pdf are refused with a message that says why", async ({ page, playwright, baseURL }) => {
  await customerInQueue(page, playwright, baseURL!, `Refusals ${crypto.randomUUID()}`);
  await attachWithPaperclip(page, [{ name: "huge-scan.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(11 * 1024 * 1024, 0x25) }]);
  await expect(errorLine(page)).toHaveText("huge-scan.pdf is larger than 10 MB");
  await expect(chips(page)).toHaveCount(0);

  await attachWithPaperclip(page, [{ name: "invoice.pdf", mimeType: "application/pdf", buffer: EXECUTABLE }]);
  await expect(errorLine(page)).toHaveText("invoice.pdf cannot be sent: only images, PDF, text and office documents");
  await expect(chips(page)).toHaveCount(0);
});

test("removing a file while it uploads aborts the upload, and the message goes without it", async ({ page, playwright, baseURL }) => {
  const { agent, id, request } = await customerInQueue(page, playwright, baseURL!, `Cancel ${crypto.randomUUID()}`);
  const uploads = await holdUploads(page);
  const aborted = page.waitForEvent("requestfailed", (req) => uploadUrl.test(req.url()));
  await attachWithPaperclip(page, [png("wrong-one.png")]);
  await expect(chips(page).getByRole("progressbar")).toBeVisible();
  await widget(page).getByRole("button", { name: "Remove wrong-one.png" }).click();
  await expect(chips(page)).toHaveCount(0);
  expect((await aborted).failure()?.errorText).toMatch(/ABORTED/);
  uploads.release();

  const text = `No file after all ${crypto.randomUUID()}`;
  await typeMessage(page, text);
  await messageField(page).press("Enter");
  await expect(pending(page)).toHaveCount(0, { timeout: 10_000 });
  expect(await stored(page, request, text)).toEqual([[]]);
  await expect.poll(async () => (await agent.pane(id)).includes(text)).toBe(true);
});

test("a reload while a message's file uploads: after the reload the upload starts again and the message is sent once", async ({ page, playwright, baseURL }) => {
  const { agent, id, request } = await customerInQueue(page, playwright, baseURL!, `Reload ${crypto.randomUUID()}`);
  const uploads = await holdUploads(page);
  await attachWithPaperclip(page, [png("receipt.png")]);
  const text = `Sent across a reload ${crypto.randomUUID()}`;
  await typeMessage(page, text);
  await messageField(page).press("Enter");
  await expect(pending(page)).toBeVisible();
  // The file's bytes are kept for the reload (IndexedDB), the message with the outbox.
  await expect.poll(() => keptFiles(page)).toBe(1);

  uploads.passThrough();
  await page.reload();
  await launcher(page).click();
  await expect(transcript(page).getByText(text)).toBeVisible();
  await expect(pending(page)).toHaveCount(0, { timeout: 20_000 });
  await expect(notSent(page)).toHaveCount(0);
  await expect(row(page, text).getByRole("img", { name: "receipt.png" })).toBeVisible();
  await expect(transcript(page).getByText(text)).toHaveCount(1);
  expect(await stored(page, request, text)).toEqual([["receipt.png (image)"]]);
  await expect.poll(async () => (await agent.pane(id)).split(text).length - 1).toBe(1);
  // Sent: nothing is kept any more.
  await expect.poll(() => keptFiles(page)).toBe(0);
  uploads.release();
});

test("file names from the XSS corpus show as text, in the chip, the transcript and the error line, and run nothing", async ({ page, playwright, baseURL }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog: Dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const { request } = await customerInQueue(page, playwright, baseURL!, `Names ${crypto.randomUUID()}`);
  const hostile = "<img src=x onerror=alert(1)>.png";
  await attachWithPaperclip(page, [png(hostile)]);
  await expect(chips(page)).toContainText(hostile);
  await expect(widget(page).getByRole("button", { name: `Remove ${hostile}` })).toBeVisible();
  await attachWithPaperclip(page, [{ name: "<svg onload=alert(2)>.pdf", mimeType: "application/pdf", buffer: EXECUTABLE }]);
  await expect(errorLine(page)).toHaveText("<svg onload=alert(2)>.pdf cannot be sent: only images, PDF, text and office documents");

  const text = `Odd names ${crypto.randomUUID()}`;
  await typeMessage(page, text);
  await messageField(page).press("Enter");
  await expect(pending(page)).toHaveCount(0, { timeout: 10_000 });
  await expect(row(page, text).getByRole("img", { name: hostile, exact: true })).toBeVisible();
  // Only the image of the file itself: no element made of a name.
  await expect(widget(page).locator('img[src="x"], svg[onload], [onerror]')).toHaveCount(0);
  expect(await stored(page, request, text)).toEqual([[`${hostile} (image)`]]);
  expect(dialogs).toEqual([]);
});
