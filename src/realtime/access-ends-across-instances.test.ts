// An admin deactivates an agent, or an agent signs out, on instance A while an inbox socket of
// theirs is connected to instance B: B must close that socket at once (a control message on the
// Redis bus), not leave it open until the agent happens to reconnect.
//
// Runs only with TEST_DATABASE_URL and TEST_REDIS_URL (PostgreSQL + Redis), e.g.
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_REDIS_URL=redis://127.0.0.1:6379 \
//     bun test src/realtime/access-ends-across-instances.test.ts
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { startInstance, type Instance } from "../testing/instance-process.ts";
import { cookieFrom } from "../testing/test-app.ts";
import { freshDatabase, testDatabaseUrl, type TestDatabase } from "../testing/test-database.ts";
import { inboxSocketHears, within } from "../testing/inbox-barrier.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";

const testRedisUrl = process.env.TEST_REDIS_URL?.trim() || null;
const enabled = testDatabaseUrl !== null && testRedisUrl !== null;

const SESSION_SECRET = "deactivation-test-secret-0123456789abcdef";
const ADMIN = { email: "ana@example.com", password: "deactivation-pw" };
const AGENT = { email: "carl@example.com", password: "carl's password" };

describe.if(enabled)("an agent's access ending on one instance closes their sockets on another", () => {
  let database: TestDatabase;
  let sql: postgres.Sql;
  let dataDir: string;
  let a: Instance;
  let b: Instance;
  const sockets: TestSocket[] = [];

  const boot = (name: string) =>
    startInstance({
      name,
      dataDir: join(dataDir, name),
      readyTimeoutMs: 20_000,
      env: {
        DATABASE_URL: database.url!,
        REDIS_URL: testRedisUrl!,
        SESSION_SECRET,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
      },
    });

  async function signIn(instance: Instance, who: { email: string; password: string }): Promise<string> {
    const res = await fetch(`${instance.origin}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: instance.origin },
      body: new URLSearchParams(who).toString(),
    });
    expect(res.status).toBe(303);
    return cookieFrom(res, "sd_session")!;
  }

  async function inboxSocket(instance: Instance, cookie: string): Promise<TestSocket> {
    const socket = await openSocket(`${instance.origin.replace("http", "ws")}/ws/inbox`, { cookie, origin: instance.origin });
    sockets.push(socket);
    await socket.waitFor((f) => f.includes('id="live-status"'));
    return socket;
  }

  beforeAll(async () => {
    database = await freshDatabase();
    sql = postgres(database.url!, { max: 1, onnotice: () => {} });
    dataDir = mkdtempSync(join(tmpdir(), "sd-deactivate-"));
    a = await boot("A");
    b = await boot("B");
    await sql`insert into agents (id, name, email, password_hash, role) values (${Bun.randomUUIDv7()}, 'Carl', ${AGENT.email}, ${await Bun.password.hash(AGENT.password)}, 'agent')`;
  }, 45_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    for (const instance of [a, b]) {
      if (instance && instance.proc.exitCode === null && instance.proc.signalCode === null) instance.proc.kill("SIGTERM");
    }
    await Promise.all([a?.proc.exited, b?.proc.exited]);
    await sql?.end({ timeout: 2 });
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 15_000);

  test("the agent's inbox on B is closed with 1008 when an admin on A deactivates them; others stay", async () => {
    const [{ id: carlId }] = (await sql`select id from agents where email = ${AGENT.email}`) as unknown as [{ id: string }];
    const carl = await inboxSocket(b, await signIn(b, AGENT));
    const admin = await signIn(a, ADMIN);
    const bystander = await inboxSocket(b, await signIn(b, ADMIN));

    const res = await fetch(`${a.origin}/settings/agents/${carlId}/deactivate`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: a.origin, cookie: admin },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/settings/agents?done=deactivated");

    expect((await within(carl.closed, 3000, "Carl's socket on B to close")).code).toBe(1008);
    // B closed Carl's sockets on hearing A; a list row pushed on B after that still reaches the bystander.
    const [{ public_key }] = (await sql`select public_key from inboxes limit 1`) as unknown as [{ public_key: string }];
    await inboxSocketHears(bystander, b.origin, public_key);
  }, 20_000);

  test("signing out on A closes the same session's socket on B within 1 s, and it cannot connect again", async () => {
    const cookie = await signIn(a, ADMIN);
    const otherTab = await inboxSocket(b, cookie);
    // A conversation the signed-out socket must not be able to read.
    const session = await fetch(`${b.origin}/api/v1/widget/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: b.origin },
      body: JSON.stringify({ inbox: (await sql`select public_key from inboxes limit 1`)[0]!.public_key }),
    }).then((r) => r.json() as Promise<{ token: string }>);
    const sent = await fetch(`${b.origin}/api/v1/widget/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: b.origin, authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ clientId: crypto.randomUUID(), body: "card ending 4242" }),
    });
    expect(sent.status).toBe(201);
    const [{ id: conversationId }] = (await sql`select id from conversations order by created_at desc limit 1`) as unknown as [{ id: string }];

    const res = await fetch(`${a.origin}/logout`, { method: "POST", redirect: "manual", headers: { origin: a.origin, cookie } });
    expect(res.status).toBe(303);

    // Closed by the message from A, with nothing sent on the socket that could make B look itself.
    expect((await within(otherTab.closed, 1000, "the signed-out session's socket on B to close")).code).toBe(1008);
    expect(otherTab.frames.join("\n")).not.toContain("card ending 4242");
    await expect(openSocket(`${b.origin.replace("http", "ws")}/ws/inbox`, { cookie, origin: b.origin })).rejects.toThrow();
  }, 20_000);
});
