// After sign-in the agent goes to `next`; it must never be another site (an open redirect).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { signedInAdmin } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, TEST_PASSWORD, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { DEFAULT_NEXT_PATH, safeNextPath } from "./next-path.ts";

/**
 * Known open-redirect payloads, each as it appears in the address bar (still percent-encoded).
 * Browsers drop tab/CR/LF and turn `\` into `/`, which is how most of these become `//evil.example`.
 */
const HOSTILE = [
  "//evil.example",
  "///evil.example",
  "////evil.example/",
  "/\\evil.example",
  "/%5cevil.example",
  "%5c%5cevil.example",
  "\\/\\/evil.example",
  "/%09/evil.example",
  "/%0a/evil.example",
  "/%0d/evil.example",
  "/%00//evil.example",
  "/\\t/evil.example",
  "%09//evil.example",
  "%20//evil.example",
  "%2f%2fevil.example",
  "/%2f/evil.example",
  "/.//evil.example",
  "/inbox/..//evil.example",
  "https:evil.example",
  "http:/evil.example",
  "https://evil.example",
  "HTTPS://evil.example/inbox",
  "http://localhost:3000@evil.example/",
  "//localhost:3000@evil.example",
  "javascript:alert(document.domain)",
  "JaVaScRiPt:alert(1)",
  "%6aavascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "evil.example",
  "%EF%BC%8F%EF%BC%8Fevil.example",
];

/** Our own paths survive as they are. */
const OWN = [
  ["/inbox?tab=queue", "/inbox?tab=queue"],
  ["/tickets/12#history", "/tickets/12#history"],
  ["/settings/agents", "/settings/agents"],
  ["/analytics?range=7", "/analytics?range=7"],
] as const;

describe("safeNextPath", () => {
  const publicUrl = new URL(TEST_ORIGIN);

  test(`refuses ${HOSTILE.length} known open-redirect payloads, encoded and decoded`, () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(20);
    for (const raw of HOSTILE) {
      for (const value of [raw, decodeURIComponent(raw)]) {
        const path = safeNextPath(value, publicUrl);
        // Whatever comes back, a browser resolving it as a Location stays on our origin.
        expect(new URL(path, publicUrl).origin, value).toBe(publicUrl.origin);
        expect(path.startsWith("/") && !path.startsWith("//"), value).toBe(true);
      }
    }
  });

  test("keeps our own paths with their query and fragment", () => {
    for (const [next, expected] of OWN) expect(safeNextPath(next, publicUrl)).toBe(expected);
    expect(safeNextPath(undefined, publicUrl)).toBe(DEFAULT_NEXT_PATH);
  });
});

describe(`sign-in never sends the agent to another site (${storageMode})`, () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp();
    cookie = await signedInAdmin(t);
  });
  afterAll(() => t.close());

  /** Where a browser would go after following this Location, resolved as the browser does. */
  const landing = (res: Response) => new URL(res.headers.get("location")!, TEST_ORIGIN);

  /** A payload with a NUL character is refused outright (400, no redirect at all); any other leads home. */
  function expectOwnOrigin(res: Response, raw: string) {
    if (decodeURIComponent(raw).includes("\u0000")) {
      expect(res.status, raw).toBe(400);
      expect(res.headers.get("location"), raw).toBeNull();
      return;
    }
    expect(res.status, raw).toBe(303);
    expect(landing(res).origin, raw).toBe(TEST_ORIGIN);
    expect(res.headers.get("location"), raw).not.toMatch(/^\/\/|^[a-z]+:|\\/i);
  }

  test("GET /login?next=… when already signed in: every payload lands on our own origin", async () => {
    for (const raw of HOSTILE) {
      expectOwnOrigin(await t.request(`/login?next=${raw}`, { headers: { cookie } }), raw);
    }
    for (const [next, expected] of OWN) {
      const res = await t.request(`/login?next=${encodeURIComponent(next)}`, { headers: { cookie } });
      expect(res.headers.get("location")).toBe(expected);
    }
  });

  test("POST /login with next=…: every payload lands on our own origin", async () => {
    for (const raw of HOSTILE) {
      expectOwnOrigin(await t.post("/login", { email: "ana@example.com", password: TEST_PASSWORD, next: decodeURIComponent(raw) }), raw);
    }
    const res = await t.post("/login", { email: "ana@example.com", password: TEST_PASSWORD, next: "/inbox?tab=queue" });
    expect(res.headers.get("location")).toBe("/inbox?tab=queue");
  });
});
