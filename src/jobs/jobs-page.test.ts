// /settings/jobs: admins see how many jobs are in each state and why the failed ones failed;
// agents are refused; nothing of a job's payload is shown.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { jobs } from "../db/schema/index.ts";
import { signedInTeam, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { schedule } from "./schedule.ts";

describe(`the jobs page (${storageMode})`, () => {
  let t: TestApp;
  let ana: TeamMember;
  let ben: TeamMember;
  const get = (cookie: string) => t.request("/settings/jobs", { headers: { cookie } });

  beforeAll(async () => {
    t = await createTestApp();
    ({ ana, ben } = await signedInTeam(t));
    const db = t.database.db;
    const ids: string[] = [];
    for (const kind of ["email.reply", "email.reply", "email.reply", "email.transcript", "<b>odd kind</b>"]) {
      ids.push((await schedule(db, kind, { to: "kim@example.com", body: "payload words" })).id);
    }
    // Two stay pending; one is done; two failed.
    const [, , done, failed, oddFailed] = ids as [string, string, string, string, string];
    await db.update(jobs).set({ status: "done", attempts: 1, finishedAt: new Date() }).where(eq(jobs.id, done));
    await db
      .update(jobs)
      .set({ status: "failed", attempts: 8, lastError: "the mail server refused the sender", finishedAt: new Date() })
      .where(eq(jobs.id, failed));
    await db
      .update(jobs)
      .set({ status: "failed", attempts: 3, maxAttempts: 3, lastError: "<script>alert(1)</script>" })
      .where(eq(jobs.id, oddFailed));
  });
  afterAll(() => t.close());

  test("an admin sees the counts per state and each failed job's kind, tries and last error, escaped; no payload", async () => {
    const res = await get(ana.cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    const countOf = (status: string) => html.match(new RegExp(`data-count="${status}"[^>]*>(\\d+)<`))?.[1];
    expect([countOf("pending"), countOf("running"), countOf("done"), countOf("failed")]).toEqual(["2", "0", "1", "2"]);

    const failedSection = html.slice(html.indexOf('id="jobs-failed"'), html.indexOf('id="jobs-running"'));
    expect(failedSection).toContain("<td>email.transcript</td>");
    expect(failedSection).toContain("<td>the mail server refused the sender</td>");
    expect(failedSection).toContain("8 of 8");
    expect(failedSection).toContain("&lt;b&gt;odd kind&lt;/b&gt;");
    expect(failedSection).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("No job is running.");
    expect(html).not.toContain("kim@example.com");
    expect(html).not.toContain("payload words");
    expect(html).toContain('href="/settings/jobs" aria-current="page"');
  });

  test("an agent who is not an admin gets 403 and no link to the page", async () => {
    const res = await get(ben.cookie);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("email.transcript");
    expect(await (await t.request("/settings/profile", { headers: { cookie: ben.cookie } })).text()).not.toContain('href="/settings/jobs"');
    expect(await (await t.request("/settings/profile", { headers: { cookie: ana.cookie } })).text()).toContain('href="/settings/jobs"');
  });
});
