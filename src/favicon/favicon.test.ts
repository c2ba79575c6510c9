// The app's icon: /favicon.ico answers (browsers ask for it on every page without a declared
// icon), pages declare /favicon.svg, and the count the inbox shows can be drawn on it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { signedInTeam, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

describe("the favicon", () => {
  let t: TestApp;
  let ana: TeamMember;
  beforeAll(async () => {
    t = await createTestApp();
    ({ ana } = await signedInTeam(t));
  });
  afterAll(() => t.close());

  test("/favicon.ico is an icon, for anyone", async () => {
    const res = await t.request("/favicon.ico");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/x-icon");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 4)]).toEqual([0, 0, 1, 0]); // an ICO header
  });

  test("/favicon.svg is the icon; with ?unread=N it carries N, past 99 as 99+, and nonsense as nothing", async () => {
    const plain = await t.request("/favicon.svg");
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-type")).toBe("image/svg+xml");
    const icon = await plain.text();
    expect(icon).toStartWith("<svg");
    expect(icon).not.toContain("<text");
    expect(await (await t.request("/favicon.svg?unread=7")).text()).toContain(">7</text></svg>");
    expect(await (await t.request("/favicon.svg?unread=140")).text()).toContain(">99+</text></svg>");
    for (const nonsense of ["0", "-3", "2.5", "abc", "<b>"]) {
      expect(await (await t.request(`/favicon.svg?unread=${encodeURIComponent(nonsense)}`)).text()).toBe(icon);
    }
  });

  test("every page declares the SVG icon and loads the script that puts the count on it", async () => {
    const login = await (await t.request("/login")).text();
    expect(login).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>');
    const inbox = await (await t.request("/inbox", { headers: { cookie: ana.cookie } })).text();
    expect(inbox).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>');
    expect(inbox).toContain('<script src="/public/favicon-count.js"></script>');
  });
});
