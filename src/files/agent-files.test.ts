// An agent's files: uploaded for a reply (a chip in the composer), sent with it, shown in the
// transcript (images inline, others as downloads), fetched behind the session; and the customer
// receiving them. Also what deletes files: a day unsent, a deleted conversation.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, eq } from "drizzle-orm";
import { attachments } from "../db/schema/index.ts";
import { customerWrites, signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { PDF, PNG, type Bytes } from "./file-fixtures.ts";
import { filesOf } from "./files-of.ts";
import { deleteConversation, sweepUnsentUploads, UNSENT_KEPT_MS } from "./retention.ts";

const XSS_NAME = `<img src=x onerror=alert(1)>.png`;

describe(`an agent's files (${storageMode})`, () => {
  let t: TestApp;
  let ana: TeamMember, ben: TeamMember, inbox: InboxRow;
  beforeAll(async () => {
    t = await createTestApp();
    ({ ana, ben, inbox } = await signedInTeam(t, { handoffMode: "immediate" }));
  });
  afterAll(() => t.close());

  const upload = (who: TeamMember, conversationId: string, name: string, body: Bytes) =>
    t.request(`/inbox/c/${conversationId}/files?name=${encodeURIComponent(name)}`, { method: "POST", headers: { cookie: who.cookie, origin: TEST_ORIGIN, accept: "application/json" }, body });
  const idIn = (chip: string) => chip.match(/name="files" value="([0-9a-f-]{36})"/)![1]!;
  const reply = (who: TeamMember, conversationId: string, form: [string, string][]) =>
    t.request(`/inbox/c/${conversationId}/messages`, {
      method: "POST",
      headers: { cookie: who.cookie, origin: TEST_ORIGIN, "hx-request": "true", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });

  test("a PDF and an image go out with a reply: a chip first, then the transcript shows them and the customer can fetch them", async () => {
    const conversationId = await customerWrites(t, inbox, "Can I have the invoice?");
    const chip = await upload(ana, conversationId, "invoice.pdf", PDF);
    expect(chip.status).toBe(201);
    const chipHtml = await chip.text();
    expect(chipHtml).toContain("invoice.pdf");
    expect(chipHtml).toContain('aria-label="Remove invoice.pdf"');
    const image = idIn(await (await upload(ana, conversationId, XSS_NAME, PNG)).text());
    const res = await reply(ana, conversationId, [["clientId", "r1"], ["body", "Here you are"], ["files", idIn(chipHtml)], ["files", image]]);
    expect(res.status).toBe(201);
    const html = await res.text();
    expect(html).toContain(`href="/files/${idIn(chipHtml)}/invoice.pdf"`);
    expect(html).toContain(`<img src="/files/${image}/`);
    // The name is text, never markup.
    expect(html.match(/<img src="/g)).toHaveLength(1);
    expect(html).toContain(`alt="<img src=x onerror=alert(1)>.png"`);
    const pdf = await t.request(`/files/${idIn(chipHtml)}/invoice.pdf`, { headers: { cookie: ben.cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-disposition")).toStartWith("attachment;");
    expect(new Uint8Array(await pdf.arrayBuffer())).toEqual(PDF);
    // The conversation's page (not only the live push) shows them; the list previews a files-only message by name.
    const page = await (await t.request(`/inbox/c/${conversationId}`, { headers: { cookie: ben.cookie } })).text();
    expect(page).toContain(`href="/files/${idIn(chipHtml)}/invoice.pdf"`);
    expect(page).toContain(`<img src="/files/${image}/`);
    await reply(ana, conversationId, [["clientId", "r1b"], ["body", ""], ["files", idIn(await (await upload(ana, conversationId, "terms.pdf", PDF)).text())]]);
    expect(await (await t.request("/inbox/list?tab=mine", { headers: { cookie: ana.cookie } })).text()).toContain("📎 terms.pdf");
  });

  test("a refused reply keeps its text and its files; an unsent upload is only its uploader's", async () => {
    const conversationId = await customerWrites(t, inbox, "Hello");
    const id = idIn(await (await upload(ana, conversationId, "notes.txt", new TextEncoder().encode("some notes\n"))).text());
    expect((await t.request(`/files/${id}/notes.txt`, { headers: { cookie: ben.cookie } })).status).toBe(404);
    expect((await t.request(`/files/${id}/notes.txt`, { headers: { cookie: ana.cookie } })).status).toBe(200);
    const refused = await reply(ana, conversationId, [["clientId", "r2"], ["body", "x".repeat(5001)], ["files", id]]);
    expect(refused.status).toBe(400);
    const form = await refused.text();
    expect(form).toContain(`name="files" value="${id}"`);
    // Ben cannot send Ana's upload.
    const stolen = await reply(ben, conversationId, [["clientId", "r3"], ["body", ""], ["files", id]]);
    expect(stolen.status).toBe(400);
  });

  test("signed out, no file: neither upload nor download", async () => {
    const conversationId = await customerWrites(t, inbox, "Hi");
    const res = await t.request(`/inbox/c/${conversationId}/files?name=a.pdf`, { method: "POST", headers: { origin: TEST_ORIGIN, accept: "application/json" }, body: PDF });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toStartWith("/login");
    expect((await t.request(`/files/${Bun.randomUUIDv7()}/a.pdf`)).status).toBe(303);
  });

  test("uploads never sent are deleted after a day, bytes and all; a deleted conversation takes its files", async () => {
    const { store } = filesOf(t.ctx);
    const deps = { db: t.database.db, store };
    const conversationId = await customerWrites(t, inbox, "Bye");
    const unsent = idIn(await (await upload(ana, conversationId, "draft.pdf", PDF)).text());
    expect(await sweepUnsentUploads(deps, Date.now())).toBe(0);
    expect(await sweepUnsentUploads(deps, Date.now() + UNSENT_KEPT_MS + 60_000)).toBeGreaterThanOrEqual(1);
    expect(await store.get(unsent)).toBeNull();
    const sent = idIn(await (await upload(ana, conversationId, "final.pdf", PDF)).text());
    expect((await reply(ana, conversationId, [["clientId", "r4"], ["body", ""], ["files", sent]])).status).toBe(201);
    expect(await deleteConversation(deps, conversationId)).toBe(true);
    expect(await store.get(sent)).toBeNull();
    const [left] = await t.database.db.select({ n: count() }).from(attachments).where(eq(attachments.id, sent));
    expect(left?.n).toBe(0);
  });
});
