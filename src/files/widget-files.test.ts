// A customer's files over the widget API: upload, send, fetch through the signed link; what is
// refused, and who can never fetch whose file.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { bearer, call, insertInbox, okSession, send, type Json } from "../widget/widget-api-testing.ts";
import { EXE, PDF, PNG, SVG, pdfOfSize, streamOf } from "./file-fixtures.ts";
import { fileLinks } from "./links.ts";

describe(`the widget's files (${storageMode})`, () => {
  let t: TestApp;
  let publicKey: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { ATTACHMENT_MAX_BYTES: String(1024 * 1024), ATTACHMENT_MAX_FILES: "3" } });
    publicKey = (await insertInbox(t.database.db, { handoffMode: "immediate" })).publicKey;
  });
  afterAll(() => t.close());

  const visitor = async () => (await okSession(t, { inbox: publicKey })).token as string;
  const upload = (token: string, name: string, body: BodyInit, headers: Record<string, string> = {}) =>
    call(t, `/api/v1/widget/files?name=${encodeURIComponent(name)}`, { method: "POST", headers: bearer(token, headers), body });
  /** A file's signed link, fetched as the browser would (path and query only: the app is driven without a socket). */
  const fetchLink = (url: string) => t.request(new URL(url).pathname + new URL(url).search);

  test("an image is uploaded, sent with a caption, and fetched through its signed link, inline", async () => {
    const token = await visitor();
    const { res, data } = await upload(token, "C:\\fakepath\\screen shot.png", PNG);
    expect(res.status).toBe(201);
    expect(data.file).toMatchObject({ name: "screen shot.png", size: PNG.byteLength, type: "image/png", image: true });
    const sent = await send(t, token, { clientId: "c1", body: "Here", files: [data.file.id] });
    expect(sent.res.status).toBe(201);
    const [file] = sent.data.message.attachments as Json[];
    expect(file).toMatchObject({ id: data.file.id, name: "screen shot.png", image: true });
    const got = await fetchLink(file!.url);
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(PNG);
    expect(got.headers.get("content-type")).toBe("image/png");
    expect(got.headers.get("content-disposition")).toStartWith("inline;");
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect(got.headers.get("content-security-policy")).toContain("sandbox");
  });

  test("files alone make a message; a retry returns the original with its files; a file is sent once", async () => {
    const token = await visitor();
    const { data } = await upload(token, "invoice.pdf", PDF);
    const first = await send(t, token, { clientId: "only-files", body: "", files: [data.file.id] });
    expect(first.res.status).toBe(201);
    expect(first.data.message).toMatchObject({ body: "", html: "", attachments: [{ name: "invoice.pdf", type: "application/pdf", image: false }] });
    const retry = await send(t, token, { clientId: "only-files", body: "", files: [data.file.id] });
    expect(retry.data.message.id).toBe(first.data.message.id);
    const again = await send(t, token, { clientId: "other", body: "again", files: [data.file.id] });
    expect(again.res.status).toBe(400);
    expect(again.data.error.code).toBe("bad_files");
    const pdf = await fetchLink(first.data.message.attachments[0].url);
    expect(pdf.headers.get("content-disposition")).toBe(`attachment; filename="invoice.pdf"; filename*=UTF-8''invoice.pdf`);
  });

  test("a renamed executable, an empty file and a file over the limit are refused with what to do", async () => {
    const token = await visitor();
    const exe = await upload(token, "invoice.pdf", EXE);
    expect([exe.res.status, exe.data.error.code]).toEqual([415, "file_type"]);
    expect(exe.data.error.message).toContain("images, PDF");
    const empty = await upload(token, "empty.txt", new Uint8Array(0));
    expect([empty.res.status, empty.data.error.code]).toEqual([400, "no_file"]);
    const declared = await upload(token, "big.pdf", pdfOfSize(1024 * 1024 + 1));
    expect([declared.res.status, declared.data.error.code]).toEqual([413, "too_large"]);
    expect(declared.data.error.message).toBe("Files can be at most 1 MB.");
    // Without a Content-Length the count stops it as it streams, and nothing is kept.
    const streamed = await upload(token, "big.pdf", streamOf(pdfOfSize(1024 * 1024 + 1)));
    expect([streamed.res.status, streamed.data.error.code]).toEqual([413, "too_large"]);
  });

  test("an SVG or an HTML page is only ever a download of text", async () => {
    const token = await visitor();
    const { data } = await upload(token, "logo.svg", SVG);
    expect(data.file).toMatchObject({ type: "text/plain", image: false });
    const got = await fetchLink(data.file.url);
    expect(got.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(got.headers.get("content-disposition")).toStartWith("attachment;");
  });

  test("more files than a message may carry, or another visitor's file, are refused as bad_files", async () => {
    const [a, b] = [await visitor(), await visitor()];
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await upload(a, `p${i}.png`, PNG)).data.file.id);
    const tooMany = await send(t, a, { clientId: "many", body: "", files: ids });
    expect([tooMany.res.status, tooMany.data.error.code]).toEqual([400, "bad_files"]);
    const foreign = await send(t, b, { clientId: "steal", body: "mine now", files: [ids[0]] });
    expect([foreign.res.status, foreign.data.error.code]).toEqual([400, "bad_files"]);
  });

  test("visitor B cannot fetch A's file: not with a forged, expired or missing signature, nor a fresh link", async () => {
    const [a, b] = [await visitor(), await visitor()];
    const { data } = await upload(a, "private.pdf", PDF);
    await send(t, a, { clientId: "p", body: "", files: [data.file.id] });
    const id = data.file.id as string;
    expect((await t.request(`/api/v1/widget/files/${id}`)).status).toBe(403);
    const forged = new URL(data.file.url);
    forged.searchParams.set("s", forged.searchParams.get("s")!.replace(/^./, (c) => (c === "A" ? "B" : "A")));
    expect((await fetchLink(forged.toString())).status).toBe(403);
    // Another file's signature does not open this one.
    const other = (await upload(b, "b.pdf", PDF)).data.file;
    const swapped = new URL(other.url);
    expect((await t.request(`/api/v1/widget/files/${id}${swapped.search}`)).status).toBe(403);
    // Signed by this server an hour and more ago: expired.
    const old = fileLinks(t.ctx.sessionSecret, t.ctx.config.publicUrl, () => Date.now() - 2 * 3600_000).forWidget(data.file);
    const expired = await fetchLink(old.url);
    expect(expired.status).toBe(410);
    expect((await expired.json()).error.code).toBe("link_expired");
    expect((await call(t, `/api/v1/widget/files/${id}/link`, { headers: bearer(b) })).res.status).toBe(404);
    const fresh = await call(t, `/api/v1/widget/files/${id}/link`, { headers: bearer(a) });
    expect((await fetchLink(fresh.data.url)).status).toBe(200);
  });

  test("uploads need a visitor token", async () => {
    const { res, data } = await call(t, "/api/v1/widget/files?name=a.png", { method: "POST", body: PNG });
    expect([res.status, data.error.code]).toEqual([401, "unauthorized"]);
  });
});
