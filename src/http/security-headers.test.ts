// The security headers of every route family, and pages that have nothing inline for their CSP to
// block. The browser's side (zero CSP violations while the pages are used) is e2e/csp.e2e.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApp } from "../app.ts";
import { customerWrites, ticketsTestSetup, type InboxRow } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { HSTS, PERMISSIONS_POLICY } from "./security-headers.ts";

/** A CSP header as directive name -> its sources. */
function directives(csp: string | null): Map<string, string[]> {
  expect(csp).not.toBeNull();
  return new Map(
    csp!
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/** What every response carries, whatever it is; HSTS only when PUBLIC_URL is https. */
function expectBaseHeaders(res: Response, { referrer = "same-origin", https = false } = {}) {
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("strict-transport-security")).toBe(https ? HSTS : null);
  expect(res.headers.get("referrer-policy")).toBe(referrer);
  expect(res.headers.get("permissions-policy")).toBe(PERMISSIONS_POLICY);
  for (const denied of ["camera", "microphone", "geolocation", "payment", "usb"]) expect(PERMISSIONS_POLICY).toContain(`${denied}=()`);
}

/** Nothing that needs 'unsafe-inline' or 'unsafe-eval' anywhere in a policy. */
function expectNoUnsafeSources(csp: Map<string, string[]>) {
  for (const [name, sources] of csp) {
    for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", "*", "data:", "http:", "https:"]) {
      if (name === "frame-ancestors" && unsafe === "*") continue; // the widget of an inbox without a list
      expect(sources, `${name} ${unsafe}`).not.toContain(unsafe);
    }
  }
}

/** The strict policy of every response but the widget page's. */
function expectAgentPolicy(res: Response, { https = false } = {}) {
  expectBaseHeaders(res, { https });
  const wsOrigin = https ? "wss://support.example.com" : "ws://localhost:3000";
  const csp = directives(res.headers.get("content-security-policy"));
  expect(csp.get("default-src")).toEqual(["'self'"]);
  expect(csp.get("connect-src")).toEqual(["'self'", wsOrigin]);
  expect(csp.get("object-src")).toEqual(["'none'"]);
  expect(csp.get("base-uri")).toEqual(["'none'"]);
  expect(csp.get("form-action")).toEqual(["'self'"]);
  expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  // Nothing re-allows what default-src forbids.
  for (const name of ["script-src", "style-src", "script-src-elem", "script-src-attr", "style-src-attr", "img-src"]) expect(csp.has(name)).toBe(false);
  expectNoUnsafeSources(csp);
}

/**
 * What in a page a strict CSP would block: inline <script> (a JSON data island is not run, so it
 * is allowed), <style>, style="" and on*="" attributes, javascript: URLs, and what htmx runs
 * through Function(): hx-on, `js:` values, trigger filters (`hx-trigger="click[ctrlKey]"`).
 */
function inlineCode(html: string): string[] {
  const found: string[] = [];
  for (const [tag, attributes] of html.matchAll(/<script\b([^>]*)>/gi)) {
    if (!/\ssrc=/i.test(attributes!) && !/\stype="application\/json"/i.test(attributes!)) found.push(tag);
  }
  const patterns = [
    /<style[\s>]/gi,
    /<[^>]*\sstyle\s*=[^>]*>/gi,
    /<[^>]*\son[a-z]+\s*=[^>]*>/gi,
    /javascript:/gi,
    /<[^>]*\s(data-)?hx-on[^>]*>/gi,
    /<[^>]*\s(data-)?hx-[\w:-]+="\s*js:[^>]*>/gi,
    /<[^>]*\s(data-)?hx-trigger="[^"]*\[[^>]*>/gi,
  ];
  for (const pattern of patterns) {
    for (const [match] of html.matchAll(pattern)) found.push(match);
  }
  return found;
}

describe(`security headers on every route family (${storageMode})`, () => {
  let t: TestApp, ana: string, ben: string, inbox: InboxRow, conversation: string, ticket: string;
  beforeAll(async () => {
    ({ t, ana, ben, inbox } = await ticketsTestSetup({ publicKey: "pk_headers", allowedOrigins: ["https://shop.example"] }));
    conversation = await customerWrites(t, inbox, "Where is my order?");
    const created = await t.post("/tickets", { conversationId: conversation, subject: "Order", description: "", priority: "normal", assigneeId: "", status: "open" }, { cookie: ana });
    ticket = created.headers.get("location")!;
    expect(ticket).toMatch(/^\/tickets\/\d+$/);
  });
  afterAll(() => t.close());

  const get = (path: string, headers: Record<string, string> = {}) => t.request(path, { headers });

  test("pages, fragments and redirects: the strict policy, and pages with nothing inline", async () => {
    const pages: Array<[string, string | undefined, number]> = [
      ["/login", undefined, 200],
      ["/inbox", ana, 200],
      [`/inbox/c/${conversation}`, ana, 200],
      ["/tickets", ana, 200],
      [`/tickets/new?conversation=${conversation}`, ana, 200],
      [ticket, ana, 200],
      ["/analytics", ana, 200],
      ["/settings", ana, 200],
      [`/settings/inboxes/${inbox.id}`, ana, 200],
      ["/settings/agents", ana, 200],
      ["/settings/profile", ana, 200],
      ["/settings/account", ana, 200],
      [`/settings/inboxes/${inbox.id}`, ben, 403], // an agent on an admin's page: the forbidden page
      ["/invites/not-a-real-token-at-all-0000000000", undefined, 404],
      ["/demo", undefined, 200],
    ];
    for (const [path, cookie, status] of pages) {
      const res = await get(path, cookie ? { cookie } : {});
      expect(res.status, path).toBe(status);
      expect(res.headers.get("content-type"), path).toContain("text/html");
      expectAgentPolicy(res);
      expect(inlineCode(await res.text()), path).toEqual([]);
    }
    // htmx fragments (a list, a conversation pane) answer with the same headers.
    for (const path of ["/inbox/list?tab=queue", `/inbox/c/${conversation}`]) {
      const res = await get(path, { cookie: ana, "hx-request": "true" });
      expect(res.status, path).toBe(200);
      expectAgentPolicy(res);
      expect(inlineCode(await res.text()), path).toEqual([]);
    }
    for (const [path, location] of [
      ["/", "/login"],
      ["/inbox", "/login?next=%2Finbox"],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location")).toBe(location);
      expectAgentPolicy(res);
    }
  });

  test("errors and refusals: a 404, a validation error, a cross-site post, a 500", async () => {
    for (const path of ["/no-such-page", "/public/no-such-file.css", "/tickets/99999999"]) {
      const res = await get(path, { cookie: ana });
      expect(res.status, path).toBe(404);
      expectAgentPolicy(res);
    }
    const crossSite = await t.post("/logout", {}, { cookie: ana, origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expectAgentPolicy(crossSite);
    const invalid = await t.request("/api/v1/widget/session", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(invalid.status).toBe(400);
    expectAgentPolicy(invalid);

    // A route that throws answers through the app's error handler, headers and all.
    const failing = createApp(t.ctx).get("/test/throws", () => {
      throw new Error("a bug");
    });
    const crashed = await failing.handle(new Request(`${TEST_ORIGIN}/test/throws`));
    expect(crashed.status).toBe(500);
    expectAgentPolicy(crashed);
  });

  test("the JSON API: nosniff and the rest on answers and refusals", async () => {
    const session = await t.request("/api/v1/widget/session", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://shop.example" },
      body: JSON.stringify({ inbox: inbox.publicKey }),
    });
    expect(session.status).toBe(200);
    expect(session.headers.get("content-type")).toContain("application/json");
    expectAgentPolicy(session);
    const { token } = (await session.json()) as { token: string };
    const messages = await get("/api/v1/widget/messages", { authorization: `Bearer ${token}`, origin: "https://shop.example" });
    expect(messages.status).toBe(200);
    expectAgentPolicy(messages);
    const refused = await get("/api/v1/widget/messages", { origin: "https://shop.example" });
    expect(refused.status).toBe(401);
    expectAgentPolicy(refused);
    for (const path of ["/health", "/ready"]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expectAgentPolicy(res);
    }
  });

  test("the widget page: its inbox's frame-ancestors, no eval, no inline style, no referrer", async () => {
    const res = await get(`/embed/widget?inbox=${inbox.publicKey}&origin=https%3A%2F%2Fshop.example`);
    expect(res.status).toBe(200);
    expectBaseHeaders(res, { referrer: "no-referrer" });
    const csp = directives(res.headers.get("content-security-policy"));
    expect(csp.get("frame-ancestors")).toEqual([TEST_ORIGIN, "https://shop.example"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("connect-src")).toEqual(["'self'", "ws://localhost:3000"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'none'"]);
    for (const name of ["script-src", "style-src", "img-src"]) expect(csp.has(name)).toBe(false);
    expectNoUnsafeSources(csp);
    expect(inlineCode(await res.text())).toEqual([]);
  });

  test("the loader and static files: nosniff with their own content types", async () => {
    const files: Array<[string, string]> = [
      ["/widget.js", "javascript"],
      ["/widget.d.ts", "text/plain"],
      ["/public/app.css", "text/css"],
      ["/public/inbox.js", "javascript"],
      ["/public/vendor/htmx.min.js", "javascript"],
      ["/public/vendor/alpine-csp.min.js", "javascript"],
      ["/public/embed/widget-app.js", "javascript"],
      ["/public/embed/widget.css", "text/css"],
    ];
    for (const [path, type] of files) {
      for (const encoding of ["br", "identity"]) {
        const res = await get(path, { "accept-encoding": encoding });
        expect(res.status, path).toBe(200);
        // nosniff makes the browser trust the content type: it must be the right one.
        expect(res.headers.get("content-type"), path).toContain(type);
        expectAgentPolicy(res);
      }
    }
  });
});

describe(`Strict-Transport-Security (${storageMode})`, () => {
  let https: TestApp;
  beforeAll(async () => {
    https = await createTestApp({ env: { PUBLIC_URL: "https://support.example.com" } });
  });
  afterAll(() => https.close());

  // The app of the tests above has an http PUBLIC_URL: none of its answers had the header.
  test("is sent on every response when PUBLIC_URL is https, whose socket is then wss", async () => {
    for (const path of ["/setup", "/", "/no-such-page", "/health", "/widget.js", "/public/app.css", "/api/v1/widget/messages"]) {
      const res = await https.request(path);
      expectAgentPolicy(res, { https: true });
    }
    // The first-run page only exists before the first admin: nothing inline there either.
    expect(inlineCode(await (await https.request("/setup")).text())).toEqual([]);
  });
});
