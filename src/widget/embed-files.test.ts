// The widget's files (public/embed/files.js, uploads.js, outbox.js, transcript.js) in a DOM
// (happy-dom) against a fake server: uploads go through a fake XMLHttpRequest that the test
// answers. This runtime has no IndexedDB, as some browsers' third-party frames have none.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { eventually } from "../testing/eventually.ts";
import { EMBED_CONFIG, FakeSocket, loadEmbed, type Frame } from "./embed-dom.ts";

/** An upload as the server side of the test sees it. */
class FakeUpload {
  static made: FakeUpload[] = [];
  readonly upload: { onprogress?: (event: { loaded: number; total: number }) => void } = {};
  readonly headers: Record<string, string> = {};
  url = "";
  body: unknown;
  aborted = false;
  status = 0;
  responseText = "";
  onload?: () => void;
  onerror?: () => void;
  open(method: string, url: string) {
    this.url = `${method} ${url}`;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
    FakeUpload.made.push(this);
  }
  abort() {
    this.aborted = true;
  }
  answer(status: number, json: unknown) {
    Object.assign(this, { status, responseText: JSON.stringify(json) }).onload?.();
  }
}

let embed: Awaited<ReturnType<typeof loadEmbed>>;
let socket: FakeSocket;
let files: Record<string, any>, uploads: Record<string, any>, humanSize: (bytes: number) => string;
const savedXhr = globalThis.XMLHttpRequest;
const load = (file: string) => import(new URL(`../../public/embed/${file}`, import.meta.url).href);
beforeAll(async () => {
  embed = await loadEmbed();
  socket = await embed.connect();
  Object.assign(globalThis, { XMLHttpRequest: FakeUpload });
  [files, uploads, { humanSize }] = await Promise.all(["files.js", "uploads.js", "config.js"].map(load));
});
afterAll(async () => {
  Object.assign(globalThis, { XMLHttpRequest: savedXhr });
  await embed.unload();
});
afterEach(() => {
  for (const entry of [...embed.chat.outbox]) embed.outbox.remove(entry.clientId);
  for (const file of [...embed.chat.files]) uploads.drop(file.key);
  Object.assign(embed.chat, { error: "", draft: "" });
  FakeUpload.made = [];
});

const png = (name: string, bytes = 1234) => new File([new Uint8Array(bytes)], name, { type: "image/png" });
const wire = (id: string, name: string, size: number, image: boolean) => ({ id, name, size, type: image ? "image/png" : "application/pdf", image, url: `https://desk.example/api/v1/widget/files/${id}?e=9999999999&s=x` });
/** Pastes files into the field, as the browser's paste event brings them; waits for their uploads to start. */
async function paste(...list: File[]) {
  const before = FakeUpload.made.length;
  let prevented = false;
  files.fileActions.paste({ clipboardData: { files: list }, preventDefault: () => (prevented = true) });
  expect(prevented).toBe(true);
  await eventually(() => FakeUpload.made.length === before + list.length, "the uploads start");
  return FakeUpload.made.slice(before);
}
/** Presses Send, as the page's send action does. */
function send(body: string) {
  embed.outbox.queue(body, embed.chat.files);
  embed.chat.files = [];
  return embed.chat.outbox.at(-1).clientId as string;
}
const sends = () => socket.sent.filter((frame) => frame.type === "send");

describe("sizes and links", () => {
  test("sizes read as the server writes them: decimal units, one decimal below 10", () => {
    expect([0, 999, 1234, 10_485_760, 1_200_000, 15_500_000, 2e9].map(humanSize)).toEqual(["0 B", "999 B", "1.2 KB", "10 MB", "1.2 MB", "16 MB", "2 GB"]);
  });

  test("a signed link is expired from half a minute before its `e`; a link without one is taken as it is", () => {
    const now = 1_800_000_000_000, at = (seconds: number) => `https://desk.example/api/v1/widget/files/f1?e=${seconds}&s=sig`;
    expect(files.expired(at(now / 1000 + 3600), now)).toBe(false);
    expect(files.expired(at(now / 1000 + 10), now)).toBe(true);
    expect(files.expired(at(now / 1000 - 1), now)).toBe(true);
    expect(files.expired("https://desk.example/api/v1/widget/files/f1", now)).toBe(false);
  });
});

describe("renewing a file's link", () => {
  test("an image that fails to load gets a new link, once a minute at most; a link clicked past its time opens a new one", async () => {
    const fetchBefore = globalThis.fetch, opened: unknown[][] = [], asked: string[] = [];
    let n = 0;
    globalThis.fetch = (async (path: string, init: RequestInit) => {
      asked.push(`${path} ${new Headers(init.headers).get("authorization")}`);
      return Response.json({ url: `https://desk.example/api/v1/widget/files/f1?e=9999999999&s=new${++n}` });
    }) as typeof fetch;
    Object.assign(embed.window, { open: (...args: unknown[]) => opened.push(args) });
    try {
      const file = wire("f1", "a.png", 10, true);
      await files.fileActions.imageFailed(file);
      await eventually(() => file.url.endsWith("s=new1"), "the image has a new link");
      expect(asked).toEqual(["/api/v1/widget/files/f1/link Bearer visitor-token"]);
      await files.fileActions.imageFailed(file); // the new link fails too: not asked again at once (no loop)
      expect(asked.length).toBe(1);

      let prevented = false;
      files.fileActions.openFile({ preventDefault: () => (prevented = true) }, file); // still valid: the browser follows it
      expect(prevented).toBe(false);
      const old = { ...file, url: "https://desk.example/api/v1/widget/files/f1?e=1000&s=old" };
      files.fileActions.openFile({ preventDefault: () => (prevented = true) }, old);
      expect(prevented).toBe(true);
      await eventually(() => opened.length === 1, "the file opens");
      expect(opened[0]).toEqual([old.url, "_blank", "noopener"]);
      expect(old.url).toMatch(/s=new\d$/);
    } finally {
      globalThis.fetch = fetchBefore;
    }
  });
});

describe("a message's files in the transcript", () => {
  test("an image shows inline, another file as its name and size; the row's file is the message's own (a renewed link shows)", () => {
    const image = wire("f1", "<img src=x onerror=alert(1)>.png", 1234, true), pdf = wire("f2", "report.pdf", 1_200_000, false);
    const msgs = [{ id: "m1", seq: 1, sender: "customer", body: "", html: "", createdAt: new Date().toISOString(), attachments: [image, pdf] }];
    const [row] = embed.transcript.transcriptRows({ msgs, notes: [], outbox: [], conv: null }).filter((r: Frame) => r.kind === "message");
    expect(row.files).toEqual([
      { f: image, key: "f1", up: false, img: true, doc: false, label: "<img src=x onerror=alert(1)>.png · 1.2 KB" },
      { f: pdf, key: "f2", up: false, img: false, doc: true, label: "report.pdf · 1.2 MB" },
    ]);
    expect(row.files[0].f).toBe(image);
  });

  test("a message waiting in the outbox shows its files by name and size, not as links (they have none yet); a message without files has none", () => {
    const outbox = [
      { clientId: "c1", body: "see these", at: new Date().toISOString(), files: [{ key: "k1", name: "a.png", size: 10, id: null }, { key: "k2", name: "b.pdf", size: 2000, id: "f9" }] },
      { clientId: "c2", body: "text only", at: new Date().toISOString() },
    ];
    const rows = embed.transcript.transcriptRows({ msgs: [], notes: [], outbox, conv: null }).filter((r: Frame) => r.kind === "message");
    expect(rows[0].files.map((a: Frame) => [a.key, a.up, a.img, a.doc, a.label])).toEqual([["k1", true, false, false, "a.png · 10 B"], ["f9", true, false, false, "b.pdf · 2 KB"]]);
    expect(rows[0].state).toBe("sending");
    expect(rows[1].files).toEqual([]);
  });
});

describe("attaching and sending files", () => {
  test("a pasted file uploads at once with the visitor's token, shows its progress, and the message waits for it, then names it", async () => {
    const [upload] = await paste(png("screen shot #1.png"));
    expect(upload!.url).toBe("POST /api/v1/widget/files?name=screen%20shot%20%231.png");
    expect(upload!.headers).toEqual({ authorization: "Bearer visitor-token" });
    expect(embed.chat.files).toEqual([expect.objectContaining({ name: "screen shot #1.png", size: 1234, id: null, sizeText: "1.2 KB", removeLabel: "Remove screen shot #1.png" })]);
    upload!.upload.onprogress!({ loaded: 617, total: 1234 });
    expect(embed.chat.files[0].progress).toBe(0.5);

    const before = sends().length;
    const clientId = send("");
    expect(sends().length).toBe(before); // not before its file is uploaded
    expect(embed.chat.rows.at(-1)).toMatchObject({ state: "sending", files: [expect.objectContaining({ up: true, label: "screen shot #1.png · 1.2 KB" })] });
    upload!.answer(201, { file: wire("f1", "screen shot #1.png", 1234, true) });
    expect(sends().at(-1)).toEqual({ type: "send", clientId, body: "", files: ["f1"] });
    expect(embed.storage.load("outbox")[0].files[0]).toMatchObject({ name: "screen shot #1.png", id: "f1" }); // stored, for a reload
    socket.receive({ type: "ack", clientId, message: { id: "m1", seq: 1, sender: "customer", clientId, body: "", html: "", createdAt: new Date().toISOString(), attachments: [wire("f1", "screen shot #1.png", 1234, true)] } });
    expect(embed.chat.outbox).toEqual([]);
  });

  test("a file over the server's limit is refused before any upload; more than maxFiles are refused", async () => {
    uploads.add([{ name: "big.bin", size: EMBED_CONFIG.maxFileBytes + 1 }]);
    expect(embed.chat.error).toBe("big.bin is larger than 10 MB");
    expect(embed.chat.files).toEqual([]);
    await paste(...Array.from({ length: EMBED_CONFIG.maxFiles }, (_, i) => png(`${i}.png`, 10)));
    uploads.add([png("one too many.png")]);
    expect(embed.chat.error).toBe("A message can have at most 10 files.");
    expect(embed.chat.files.length).toBe(EMBED_CONFIG.maxFiles);
  });

  test("the server's refusals say what is wrong with the file, in the widget's words, and the file leaves its message", async () => {
    const [exe, big] = await paste(png("invoice.pdf"), png("huge.png"));
    const clientId = send("my invoice");
    exe!.answer(415, { error: { code: "file_type", message: "This kind of file cannot be sent." } });
    expect(embed.chat.error).toBe("invoice.pdf cannot be sent: only images, PDF, text and office documents");
    big!.answer(413, { error: { code: "too_large", message: "Files can be at most 10 MB." } });
    expect(embed.chat.error).toBe("huge.png is larger than 10 MB");
    // What is left (the text) goes on its own.
    expect(sends().at(-1)).toEqual({ type: "send", clientId, body: "my invoice" });
  });

  test("files dragged over the chat show the drop hint; dropped, they upload; other drags (text) are left alone", async () => {
    const event = (types: string[], list: File[] = []) => ({ dataTransfer: { types, files: list }, prevented: false, preventDefault() { this.prevented = true; } });
    const text = event(["text/plain"]);
    files.fileActions.dragOver(text);
    expect([text.prevented, embed.chat.dropping]).toEqual([false, false]);
    const over = event(["Files"]);
    files.fileActions.dragOver(over);
    expect([over.prevented, embed.chat.dropping]).toEqual([true, true]);
    const dropped = event(["Files"], [png("dropped.png")]);
    files.fileActions.drop(dropped);
    expect([dropped.prevented, embed.chat.dropping]).toEqual([true, false]);
    await eventually(() => embed.chat.files.some((file: Frame) => file.name === "dropped.png"), "the dropped file is attached");
  });

  test("a file's remove button aborts its upload", async () => {
    const [upload] = await paste(png("oops.png"));
    files.fileActions.removeFile(embed.chat.files[0].key);
    await eventually(() => upload!.aborted, "the upload is aborted");
    expect(embed.chat.files).toEqual([]);
  });

  test("offline, a message's upload fails at once and the message shows as failed; on the next ready it uploads and is sent", async () => {
    Object.defineProperty(navigator, "onLine", { value: false, configurable: true });
    try {
      const [lost] = await paste(png("offline.png"));
      const clientId = send("written offline");
      lost!.onerror!();
      await eventually(() => embed.chat.outbox[0]?.failed === true, "the message is failed");
      expect(embed.chat.rows.at(-1)).toMatchObject({ state: "failed", clientId });
    } finally {
      delete (navigator as { onLine?: boolean }).onLine;
    }
    socket.receive({ type: "ready", conversation: null, lastSeq: 0, agentsOnline: true });
    await eventually(() => FakeUpload.made.length === 2, "the upload starts again");
    FakeUpload.made[1]!.answer(201, { file: wire("f8", "offline.png", 1234, true) });
    expect(sends().at(-1)).toEqual({ type: "send", clientId: embed.chat.outbox[0].clientId, body: "written offline", files: ["f8"] });
  });

  test("bad_files is final: the message leaves the outbox, the server's message shows and its text goes back into the field", async () => {
    const [upload] = await paste(png("a.png"));
    upload!.answer(201, { file: wire("f7", "a.png", 1234, true) });
    const clientId = send("with a file");
    socket.receive({ type: "error", code: "bad_files", message: "A file of this message cannot be sent.", clientId });
    expect(embed.chat.outbox).toEqual([]);
    expect(embed.chat.error).toBe("A file of this message cannot be sent.");
    expect(embed.chat.draft).toBe("with a file");
  });

  test("after a reload, a file whose bytes were not kept fails its message with a clear text; Remove puts the text back", async () => {
    embed.storage.save("outbox", [{ clientId: "c-lost", body: "from before", at: new Date().toISOString(), files: [{ key: "k-gone", name: "scan.pdf", size: 5, id: null }] }]);
    embed.chat.outbox = embed.outbox.storedOutbox();
    embed.outbox.flush(true);
    await eventually(() => embed.chat.outbox[0]?.failed === true, "the message is failed");
    expect(embed.chat.error).toBe("scan.pdf was lost when the page reloaded. Remove the message and attach it again.");
    expect(embed.chat.rows.at(-1)).toMatchObject({ state: "failed", clientId: "c-lost" });
    expect(sends().filter((frame) => frame.clientId === "c-lost")).toEqual([]);
    embed.outbox.discard("c-lost");
    expect(embed.chat.outbox).toEqual([]);
    expect(embed.chat.draft).toBe("from before");
  });
});
