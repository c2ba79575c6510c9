// A mention crosses instances: Cole writes a note on instance A naming Ana, whose inbox socket is
// on instance B; her notifications menu and desktop notification arrive there through Redis.
// Runs only with TEST_DATABASE_URL and TEST_REDIS_URL (PostgreSQL + Redis), on two real processes.
import { describe, expect, test } from "bun:test";
import { AgentSocket } from "../testing/recording-sockets.ts";
import { cookieFrom } from "../testing/test-app.ts";
import { twoInstancesEnabled, twoInstancesOnRedis } from "../testing/two-instances.ts";

const ADMIN = { email: "ana@example.com", password: "mentions-two-instances-pw" };
const COLE = { email: "cole@example.com", password: "cole-two-instances-pw" };
const form = (origin: string, extra: Record<string, string> = {}) => ({ "content-type": "application/x-www-form-urlencoded", origin, ...extra });

describe.if(twoInstancesEnabled)("a mention on one instance reaches its agent on another", () => {
  const instances = twoInstancesOnRedis({ secret: "mentions-two-instances-secret-0123456789", admin: ADMIN });

  test("Ana's menu on B counts Cole's note on A, live", async () => {
    const { a, b, sql, publicKey, cookie } = instances.state;
    await sql`insert into agents (id, name, email, role, password_hash) values (gen_random_uuid(), 'Cole', ${COLE.email}, 'agent', ${await Bun.password.hash(COLE.password)})`;
    const [{ name: anaName }] = (await sql`select name from agents where email = ${ADMIN.email}`) as unknown as [{ name: string }];
    const login = await fetch(`${a.origin}/login`, { method: "POST", redirect: "manual", headers: form(a.origin), body: new URLSearchParams(COLE).toString() });
    expect(login.status).toBe(303);
    const coleCookie = cookieFrom(login, "sd_session")!;

    // A customer on A writes: a conversation.
    const json = { "content-type": "application/json", origin: "https://shop.example" };
    const session = (await (await fetch(`${a.origin}/api/v1/widget/session`, { method: "POST", headers: json, body: JSON.stringify({ inbox: publicKey }) })).json()) as { token: string };
    const auth = { ...json, authorization: `Bearer ${session.token}` };
    await fetch(`${a.origin}/api/v1/widget/messages`, { method: "POST", headers: auth, body: JSON.stringify({ clientId: crypto.randomUUID(), body: "Hello" }) });
    const listed = (await (await fetch(`${a.origin}/api/v1/widget/messages`, { headers: auth })).json()) as { conversation: { id: string } };

    // Ana's inbox socket on B, set up (its own topic is subscribed before the live status is sent).
    const ana = new AgentSocket(b.origin, { cookie, origin: b.origin });
    try {
      await ana.opened();
      await ana.waitFor("live status", (p) => p.includes('id="live-status"'));
      const noted = await fetch(`${a.origin}/inbox/c/${listed.conversation.id}/notes`, {
        method: "POST",
        headers: form(a.origin, { cookie: coleCookie, "hx-request": "true" }),
        body: new URLSearchParams({ body: `@${anaName} could you look?`, clientId: crypto.randomUUID() }).toString(),
      });
      expect(noted.status).toBe(201);
      expect(await ana.waitFor("the menu", (p) => p.includes('id="notifications-button"'))).toContain("Notifications (1)");
      expect(JSON.parse(await ana.waitFor("the desktop notification", (p) => p.includes('"notify"'))).notify.title).toBe("Cole mentioned you");
    } finally {
      ana.ws.close();
    }
  }, 30_000);
});
