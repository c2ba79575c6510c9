// Only the widget's API answers cross-origin requests: a page on another site must not be able to
// read any other response of ours (pages carry an agent's data when the cookie goes along).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { signedInTeam, type InboxRow } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

const EVIL = "https://evil.example";

describe(`CORS only where it belongs (${storageMode})`, () => {
  let t: TestApp;
  let cookie: string;
  let inbox: InboxRow;
  beforeAll(async () => {
    t = await createTestApp();
    const team = await signedInTeam(t);
    cookie = team.ana.cookie;
    inbox = team.inbox;
  });
  afterAll(() => t.close());

  test("no route outside /api/v1/widget/ allows another origin, for any method, even a 404", async () => {
    const routes = t.app.routes.filter((r) => r.method !== "WS" && !r.path.startsWith("/api/v1/widget"));
    expect(routes.length).toBeGreaterThan(40);
    const paths = [...new Set(routes.map((r) => r.path.replace(/:\w+/g, "x").replace("/*", "/x"))), "/no-such-page", "/public/app.css"];
    for (const path of paths) {
      for (const method of ["GET", "POST", "OPTIONS"]) {
        const res = await t.request(path, { method, headers: { origin: EVIL, cookie, "access-control-request-method": "POST" } });
        expect(res.headers.get("access-control-allow-origin"), `${method} ${path}`).toBeNull();
        expect(res.headers.get("access-control-allow-credentials"), `${method} ${path}`).toBeNull();
      }
    }
  });

  test("the widget API answers the embedding page's origin, without credentials", async () => {
    const preflight = await t.request("/api/v1/widget/messages", { method: "OPTIONS", headers: { origin: "https://shop.example", "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    const session = await t.request("/api/v1/widget/session", {
      method: "POST",
      headers: { origin: "https://shop.example", "content-type": "application/json" },
      body: JSON.stringify({ inbox: inbox.publicKey }),
    });
    expect(session.status).toBe(200);
    expect(session.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(session.headers.get("access-control-allow-credentials")).toBeNull();
  });
});
