// The log is read by more people than the database is: operators, log pipelines, support vendors.
// Run what writes the most telling lines (invites, sign-ins, refused and failing requests, failing
// widget sends) and look for every secret and every text a person typed: none may be there.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { signedInTeam } from "../testing/fixtures.ts";
import { cookieFrom, createTestApp, requestLinesWritten, TEST_ORIGIN, TEST_PASSWORD, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { readyWidgetSocket } from "../testing/widget-client.ts";
import type { TestSocket } from "../testing/ws-client.ts";

const INVITE_LINK = /http:\/\/localhost:3000\/invites\/([A-Za-z0-9_-]{43})/;

describe(`the log keeps secrets and people's words out (${storageMode})`, () => {
  let t: TestApp;
  const secrets: string[] = [];
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    // Debug level and an SMTP server that refuses connections: every line there is, and a failing email.
    t = await createTestApp({ env: { LOG_LEVEL: "debug", LOG_FORMAT: "json", SMTP_URL: "smtp://127.0.0.1:9" } });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await t.close();
  });

  const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method: "POST",
    headers: { "content-type": "application/json", origin: TEST_ORIGIN, ...headers },
    body: JSON.stringify(body),
  });

  test("after invites, sign-ins, errors and failing widget sends, no secret, email or message is in the log", async () => {
    const { ana, inbox } = await signedInTeam(t);
    const admin = ana.cookie;
    const publicKey = inbox.publicKey;
    secrets.push(admin.split("=")[1]!, TEST_PASSWORD, "ana@example.com");

    // An invite whose email cannot be sent: the link is shown to the admin instead.
    const invited = await t.post("/settings/agents/invites", { email: "invitee.secret@example.com", role: "agent" }, { cookie: admin });
    const token = INVITE_LINK.exec(await invited.text())?.[1];
    expect(token).toBeDefined();
    secrets.push(token!, "invitee.secret@example.com");
    expect((await t.request(`/invites/${token}`)).status).toBe(200);
    const joined = await t.post(`/invites/${token}`, { name: "Ivy", password: "invitee-password-secret" });
    expect(joined.status).toBe(303);
    secrets.push("invitee-password-secret", cookieFrom(joined, "sd_session")!.split("=")[1]!);

    // Sign-ins that fail, with a query string that carries a token.
    await t.post("/login?token=query-token-secret", { email: "nobody.secret@example.com", password: "wrong-password-secret" });
    secrets.push("query-token-secret", "nobody.secret@example.com", "wrong-password-secret");

    // A visitor who says who they are, writes, leaves an email, and sends text the database refuses.
    const session = await t.request("/api/v1/widget/session", json({ inbox: publicKey, user: { id: "u1", email: "visitor.secret@example.com", name: "Vera Secret", hash: "0".repeat(64) } }));
    expect(session.status).toBeLessThan(500);
    const anonymous = (await (await t.request("/api/v1/widget/session", json({ inbox: publicKey }))).json()) as { token: string };
    secrets.push(anonymous.token, "visitor.secret@example.com", "Vera Secret");
    const bearer = { authorization: `Bearer ${anonymous.token}` };
    expect((await t.request("/api/v1/widget/messages", json({ clientId: crypto.randomUUID(), body: "first words secret" }, bearer))).status).toBe(201);
    expect((await t.request("/api/v1/widget/away", json({ email: "away.secret@example.com" }, bearer))).status).toBe(200);
    expect((await t.request("/api/v1/widget/messages", json({ clientId: crypto.randomUUID(), body: "nul \u0000 secret" }, bearer))).status).toBe(400);
    secrets.push("first words secret", "away.secret@example.com", "nul \u0000 secret");

    // From here on the database refuses these messages: the failure must not quote them.
    await t.database.db.execute(sql.raw(`alter table messages add constraint log_test_refuses check (body not like 'FAIL %')`));
    const failed = await t.request("/api/v1/widget/messages", json({ clientId: crypto.randomUUID(), body: "FAIL http body secret" }, bearer));
    expect(failed.status).toBe(500);
    const answer = (await failed.json()) as { error: { errorId: string; message: string } };
    expect(answer.error.errorId).toMatch(/^[0-9a-f]{8}$/);
    const { ws } = await readyWidgetSocket(t.listen(), anonymous.token, TEST_ORIGIN, sockets);
    const clientId = crypto.randomUUID();
    ws.send({ type: "send", clientId, body: "FAIL socket body secret" });
    expect(await ws.waitForJson((f) => f.type === "error" && f.clientId === clientId)).toMatchObject({ code: "server_error" });
    secrets.push("FAIL http body secret", "FAIL socket body secret");
    await t.database.db.execute(sql.raw(`alter table messages drop constraint log_test_refuses`));

    // After-response hooks write the request lines once the responses are handed back.
    await requestLinesWritten(t);
    const log = t.logs.join("\n");
    // The log did record all of this, by route pattern and with the failure's id.
    expect(log).toContain('"route":"/invites/:token"');
    expect(log).toContain(`"errorId":"${answer.error.errorId}"`);
    expect(log).toContain("invite email not sent");
    expect(log).toContain("widget message failed");
    for (const secret of secrets) expect(log.includes(secret) ? secret : null).toBeNull();
  }, 60_000);
});
