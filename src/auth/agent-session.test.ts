import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { signedInAdmin } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";

// The agentSession plugin is named, and Elysia applies a named plugin once per app that uses it.
// Each app builds its own (it holds that app's context): two apps in one process, as tests and a
// future second listener have, must each find sessions in their own database.
describe(`the agents' session is each app's own (${storageMode})`, () => {
  let one: TestApp;
  let two: TestApp;
  let cookieOne: string;
  let cookieTwo: string;

  beforeAll(async () => {
    [one, two] = await Promise.all([createTestApp(), createTestApp()]);
    [cookieOne, cookieTwo] = await Promise.all([signedInAdmin(one), signedInAdmin(two)]);
  });
  afterAll(async () => {
    await Promise.all([one.close(), two.close()]);
  });

  const get = (t: TestApp, path: string, cookie: string) => t.request(path, { headers: { cookie } });

  test("a session is known only to the app that made it, on signed-in and admin routes alike", async () => {
    for (const path of ["/inbox", "/tickets", "/settings", "/settings/agents", "/settings/account"]) {
      expect({ path, status: (await get(one, path, cookieOne)).status }).toEqual({ path, status: 200 });
      expect({ path, status: (await get(two, path, cookieTwo)).status }).toEqual({ path, status: 200 });
      const foreign = await get(two, path, cookieOne);
      expect({ path, status: foreign.status, location: foreign.headers.get("location") }).toEqual({ path, status: 303, location: `/login?next=${encodeURIComponent(path)}` });
    }
  });
});
