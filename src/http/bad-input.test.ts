// Every route of the app, fed input no page would send: NUL characters, numbers past PostgreSQL's
// range, wrong types, garbage ids, broken JSON. Whatever the route, the answer is a 4xx with a
// reason (or the page itself), never a 500, never Elysia's 422, and never SQL, a query parameter
// or a stack trace; and no failure is logged for them.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as conversationService from "../conversations/service.ts";
import { signedInTeam, type InboxRow, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, requestLinesWritten, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { readyWidgetSocket } from "../testing/widget-client.ts";
import type { TestSocket } from "../testing/ws-client.ts";

/** What no answer may contain: SQL, drizzle's "params:", a driver's name, a stack frame. */
const LEAKS = /Failed query|params:|\bfrom\s+"\w+"|\binsert into\b|\bupdate\s+"\w+"\s+set\b|\bdelete from\b|postgres|pglite|drizzle|sqlstate|\bat\s+\S+\.(ts|tsx|js):\d+|node_modules/i;

/** Values for path parameters: NUL, past int4, negative, not an id, huge, traversal, SQL. */
const BAD_PARAMS = ["%00", "99999999999999", "-1", "not-a-uuid", "x".repeat(3000), "..%2f..%2fetc%2fpasswd", "1'%20or%201=1--", "%F0%9F%92%A9"];

/** Values for every query and form field. */
const BAD_VALUES = ["\u0000", "a\u0000b", "a\ud800b", "half \ud83d emoji", "1.5", "99999999999999999999", "-99999999999999", "1e309", "NaN", "x".repeat(20_000), "<script>alert(1)</script>", "' or 1=1 --", "%00"];

/** Query strings that every GET route gets. */
const BAD_QUERIES = [
  "after=99999999999999",
  "after=1.5",
  "after=-1",
  "after=%00",
  "cursor=%00",
  `cursor=${Buffer.from("99999999999999999999|00000000-0000-0000-0000-000000000000").toString("base64url")}`,
  `cursor=${Buffer.from("updated|1|99999999999999999999|00000000-0000-0000-0000-000000000000").toString("base64url")}`,
  "q=%00",
  "q=" + "x".repeat(5000),
  "tab=%00",
  "status=%00&priority=99999999999999&assignee=%00&sort=%00",
  "range=%00&from=99999-01-01&to=0000-00-00",
  "next=%00",
  "done=%00",
];

interface Actor {
  name: string;
  headers: Record<string, string>;
}

describe(`bad input never makes a 500 or leaks internals (${storageMode})`, () => {
  let t: TestApp;
  let ana: TeamMember;
  let ben: TeamMember;
  let inbox: InboxRow;
  let actors: Actor[];
  let visitorToken: string;
  /** Real ids to put in paths, so that bad bodies reach routes past their "not found". */
  const realParams: Record<string, string> = {};
  const failures: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    ({ ana, ben, inbox } = await signedInTeam(t));
    const session = await t.request("/api/v1/widget/session", {
      method: "POST",
      headers: { "content-type": "application/json", origin: TEST_ORIGIN },
      body: JSON.stringify({ inbox: inbox.publicKey }),
    });
    const { token } = (await session.json()) as { token: string };
    visitorToken = token;
    const { conversation } = await conversationService.customerSends(
      { db: t.database.db, bus: t.ctx.bus },
      { inbox, contactId: Bun.randomUUIDv7(), clientId: crypto.randomUUID(), body: "hello" },
    );
    realParams.id = conversation.id;
    realParams.number = "1";
    realParams.token = "no-such-invite-token";
    actors = [
      { name: "anonymous", headers: {} },
      { name: "visitor", headers: { authorization: `Bearer ${token}` } },
      { name: "agent", headers: { cookie: ben.cookie } },
      { name: "admin", headers: { cookie: ana.cookie } },
    ];
  });
  afterAll(() => t.close());

  /** Records what is wrong with one answer; the test reports them all at once. */
  async function check(label: string, res: Response) {
    const body = await res.text();
    if (res.status >= 500) failures.push(`${label}: ${res.status}`);
    if (res.status === 422 && !res.headers.get("content-type")?.includes("text/html")) failures.push(`${label}: Elysia's 422`);
    // Scripts and styles are our own files, whatever the query: their code may say "params:".
    const asset = /javascript|css|typescript/.test(res.headers.get("content-type") ?? "");
    const leak = asset ? null : LEAKS.exec(body);
    if (leak) failures.push(`${label}: body contains ${JSON.stringify(leak[0])}`);
  }

  /** Path patterns (`/inbox/c/:id`) filled with one value for every parameter. */
  const fill = (path: string, value: (name: string) => string) => path.replace(/:(\w+)/g, (_, name: string) => value(name)).replace("/*", "/x");

  /** The form fields a route declares (from its body schema), plus ones every form might read. */
  function fieldsOf(route: { hooks?: unknown }): string[] {
    const schema = (route.hooks as { body?: { properties?: Record<string, unknown> } } | undefined)?.body;
    return [...new Set([...Object.keys(schema?.properties ?? {}), "body", "email", "name", "clientId"])];
  }

  test("every route, every actor, every bad value: 4xx or the page, nothing internal", async () => {
    // Signing out last: it ends the session the other requests use.
    const routes = t.app.routes
      .filter((r) => r.method !== "WS" && r.method !== "OPTIONS")
      .sort((a, b) => Number(a.path === "/logout") - Number(b.path === "/logout"));
    expect(routes.length).toBeGreaterThan(50);

    for (const route of routes) {
      for (const actor of actors) {
        const headers = { origin: TEST_ORIGIN, ...actor.headers };
        const paths = [fill(route.path, (n) => realParams[n] ?? "x"), ...BAD_PARAMS.map((bad) => fill(route.path, () => bad))];
        const label = (what: string) => `${actor.name} ${route.method} ${route.path} ${what}`;
        if (route.method === "GET") {
          for (const path of paths) await check(label(path.slice(0, 80)), await t.request(path, { headers }));
          for (const query of BAD_QUERIES) await check(label(`?${query.slice(0, 60)}`), await t.request(`${paths[0]}?${query}`, { headers }));
          continue;
        }
        for (const path of paths.slice(0, 3)) await check(label(path.slice(0, 80)), await t.request(path, { method: route.method, headers }));
        for (const value of BAD_VALUES) {
          const fields = Object.fromEntries(fieldsOf(route).map((f) => [f, value]));
          const form = new URLSearchParams(fields).toString();
          await check(label(`form ${JSON.stringify(value.slice(0, 20))}`), await t.request(paths[0]!, { method: route.method, headers: { ...headers, "content-type": "application/x-www-form-urlencoded" }, body: form }));
          await check(label(`json ${JSON.stringify(value.slice(0, 20))}`), await t.request(paths[0]!, { method: route.method, headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(fields) }));
        }
        for (const json of ["{", "[]", "null", '{"body":{"a":1},"clientId":7,"email":[],"user":"x","inbox":{"$ne":1}}', `{"seq":${2 ** 31},"after":1e400}`]) {
          await check(label(`json ${json.slice(0, 30)}`), await t.request(paths[0]!, { method: route.method, headers: { ...headers, "content-type": "application/json" }, body: json }));
        }
      }
    }
    // After-response logging runs once the response is handed back.
    await requestLinesWritten(t);
    expect(failures).toEqual([]);
    expect(t.logs.filter((line) => line.includes("request failed"))).toEqual([]);
  }, 600_000);

  test("the widget socket refuses bad frames by name, never with a server error", async () => {
    const base = t.listen();
    const open: TestSocket[] = [];
    const { ws } = await readyWidgetSocket(base, visitorToken, TEST_ORIGIN, open);
    const answerTo = async (frame: unknown) => {
      const from = ws.json().length;
      ws.send(frame);
      await ws.waitFor(() => ws.json().length > from);
      return ws.json()[from]!;
    };
    expect(await answerTo({ type: "send", clientId: crypto.randomUUID(), body: "a\u0000b" })).toMatchObject({ type: "error", code: "bad_text" });
    expect(await answerTo({ type: "send", clientId: "a\u0000b", body: "hello" })).toMatchObject({ type: "error", code: "bad_client_id" });
    expect(await answerTo({ type: "send", clientId: crypto.randomUUID(), body: "half \ud83d emoji" })).toMatchObject({ type: "error", code: "bad_text" });
    expect(await answerTo({ type: "resume", lastSeq: 2 ** 31 })).toMatchObject({ type: "error", code: "bad_frame" });
    expect(await answerTo({ type: "read", seq: 99999999999999 })).toMatchObject({ type: "error", code: "bad_frame" });
    for (const socket of open) socket.close();
    expect(t.logs.filter((line) => line.includes("failed"))).toEqual([]);
  });
});
