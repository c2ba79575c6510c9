// Files in the agent's inbox: a customer's image shows inline, live; the agent attaches a PDF with
// "Attach a file" and pastes a screenshot, sees each upload's chip, sends them, and the customer
// downloads the PDF through its signed link. Refusals (too large, an executable renamed to .pdf)
// are said in the composer; a hostile file name stays text. The customer is driven over the widget
// API here; the widget's own file UI has e2e/widget-attachments.e2e.ts.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { signedInPage } from "./support/sign-in.ts";

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
const EXE = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]), Buffer.alloc(300)]);

const agentPages: Page[] = [];
test.afterEach(async () => {
  for (const page of agentPages.splice(0)) await page.context().close();
});

/** A customer over the widget API: a session, a first message, a human asked for. */
async function customer(request: APIRequestContext, inboxKey: string, text: string) {
  const { token } = await (await request.post("/api/v1/widget/session", { data: { inbox: inboxKey } })).json();
  const auth = { authorization: `Bearer ${token}` };
  await request.post("/api/v1/widget/messages", { data: { clientId: crypto.randomUUID(), body: text }, headers: auth });
  await request.post("/api/v1/widget/handoff", { headers: auth });
  return {
    async sendsFile(name: string, bytes: Buffer) {
      const up = await request.post(`/api/v1/widget/files?name=${encodeURIComponent(name)}`, { data: bytes, headers: { ...auth, "content-type": "application/octet-stream" } });
      expect(up.status()).toBe(201);
      const { file } = await up.json();
      const sent = await request.post("/api/v1/widget/messages", { data: { clientId: crypto.randomUUID(), body: "", files: [file.id] }, headers: auth });
      expect(sent.status()).toBe(201);
    },
    token,
    async messages(): Promise<Array<{ sender: string; attachments?: Array<{ name: string; url: string; image: boolean }> }>> {
      return (await (await request.get("/api/v1/widget/messages", { headers: auth })).json()).messages;
    },
  };
}

async function agentOn(page: Page, id: string) {
  await page.goto(`/inbox/c/${id}`);
  await expect(page.locator("#live-status")).toHaveAttribute("data-state", "live");
  return page.locator(`#messages-${id}`);
}

/** Files as the agent picks them in the file chooser that "Attach a file" opens. */
async function attach(page: Page, files: Array<{ name: string; mimeType: string; buffer: Buffer }>) {
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Attach a file" }).click();
  await (await chooser).setFiles(files);
}

test("a customer's image shows inline live; the agent sends a PDF and a pasted screenshot, which the customer downloads", async ({ browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  const visitor = await customer(request, await api.defaultInboxKey(), "Files, please");
  const id = (await api.conversationWith("Files, please"))!;
  await api.claim(id);
  const agent = await signedInPage(browser, baseURL!, ADMIN);
  agentPages.push(agent);
  const transcript = await agentOn(agent, id);

  await visitor.sendsFile("photo.png", PNG);
  const image = transcript.getByRole("img", { name: "photo.png" });
  await expect(image).toBeVisible();
  expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);

  await attach(agent, [{ name: "invoice.pdf", mimeType: "application/pdf", buffer: PDF }]);
  await expect(agent.locator(".pending-file", { hasText: "invoice.pdf" })).toBeVisible();
  // A screenshot pasted into the reply field uploads as well.
  await agent.getByRole("textbox", { name: "Reply" }).evaluate((field, bytes) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], "screenshot.png", { type: "image/png" }));
    field.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, [...PNG]);
  await expect(agent.locator(".pending-file", { hasText: "screenshot.png" })).toBeVisible();
  await agent.getByRole("textbox", { name: "Reply" }).fill("Your invoice");
  await agent.getByRole("button", { name: "Send", exact: true }).click();
  await expect(transcript.getByRole("link", { name: "invoice.pdf" })).toBeVisible();
  await expect(transcript.getByRole("img", { name: "screenshot.png" })).toBeVisible();
  await expect(agent.locator(".pending-file")).toHaveCount(0);

  const reply = (await visitor.messages()).find((m) => m.sender === "agent" && m.attachments);
  expect(reply?.attachments?.map((f) => [f.name, f.image])).toEqual([["invoice.pdf", false], ["screenshot.png", true]]);
  const download = await request.get(reply!.attachments![0]!.url);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-disposition"]).toContain("attachment;");
  expect(Buffer.from(await download.body()).equals(PDF)).toBe(true);
  await api.close(id); // later specs expect an empty queue
  await request.dispose();
});

test("a file over 10 MB and an executable renamed to .pdf are refused in the composer; a dropped file's hostile name stays text", async ({ browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  await customer(request, await api.defaultInboxKey(), "Refusals, please");
  const id = (await api.conversationWith("Refusals, please"))!;
  const agent = await signedInPage(browser, baseURL!, ADMIN);
  agentPages.push(agent);
  await agentOn(agent, id);
  const dialogs: string[] = [];
  agent.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  await attach(agent, [{ name: "huge.pdf", mimeType: "application/pdf", buffer: Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024)]) }]);
  await expect(agent.getByRole("alert")).toContainText("huge.pdf: Files can be at most 10 MB.");
  await attach(agent, [{ name: "invoice.pdf", mimeType: "application/pdf", buffer: EXE }]);
  await expect(agent.getByRole("alert")).toContainText("invoice.pdf: This kind of file cannot be sent.");
  await expect(agent.locator(".pending-file")).toHaveCount(0);

  // Dropped on the conversation (as a file manager would), under a hostile name.
  const hostile = `<img src=x onerror=alert(1)>.png`;
  await agent.locator(`#messages-${id}`).evaluate((list, [name, bytes]) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes as number[])], name as string, { type: "image/png" }));
    for (const type of ["dragover", "drop"]) list.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
  }, [hostile, [...PNG]] as const);
  await expect(agent.locator(".pending-file-name")).toHaveText(hostile);
  await agent.getByRole("button", { name: "Send", exact: true }).click();
  await expect(agent.getByRole("img", { name: hostile })).toBeVisible();
  expect(dialogs).toEqual([]);
  await api.close(id);
  await request.dispose();
});

test("visitor B cannot fetch A's file: not by its id, not with A's link changed, not with an expired or another file's link", async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  const key = await api.defaultInboxKey();
  const a = await customer(request, key, "Private file");
  await a.sendsFile("private.pdf", PDF);
  const [file] = (await a.messages()).flatMap((m) => m.attachments ?? []);
  const link = new URL(file!.url);
  const id = link.pathname.split("/").pop()!;
  const b = await customer(request, key, "Someone else");
  await b.sendsFile("mine.pdf", PDF);
  const [own] = (await b.messages()).flatMap((m) => m.attachments ?? []);

  const status = async (url: string) => (await request.get(url)).status();
  expect(await status(`/api/v1/widget/files/${id}`)).toBe(403);
  expect(await status(`/api/v1/widget/files/${id}${new URL(own!.url).search}`)).toBe(403);
  const forged = new URL(link);
  forged.searchParams.set("e", String(Number(link.searchParams.get("e")) + 3600));
  expect(await status(forged.pathname + forged.search)).toBe(403);
  const expired = new URL(link);
  expired.searchParams.set("e", "1000");
  expect(await status(expired.pathname + expired.search)).toBe(403);
  expect(await status(`/api/v1/widget/files/${crypto.randomUUID()}${link.search}`)).toBe(403);
  // B asking for a fresh link to A's file: no such file, for B.
  expect((await request.get(`/api/v1/widget/files/${id}/link`, { headers: { authorization: `Bearer ${b.token}` } })).status()).toBe(404);
  expect(await status(link.pathname + link.search)).toBe(200);
  for (const text of ["Private file", "Someone else"]) await api.close((await api.conversationWith(text))!);
  await request.dispose();
});
