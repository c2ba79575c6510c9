import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { contacts, conversations, inboxes } from "../db/schema/index.ts";
import { signedInAdmin } from "../testing/fixtures.ts";
import { createTestApp, TEST_ORIGIN, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { requestSession, wsUrl } from "../testing/widget-client.ts";
import { openSocket, type TestSocket } from "../testing/ws-client.ts";
import { wallClock } from "./business-hours.ts";
import { replyTimeText } from "./reply-time.ts";

type SessionInbox = { agentsOnline: boolean; open: boolean; note: string };

describe(`the widget's hours and reply time (${storageMode})`, () => {
  let t: TestApp;
  let base: string;
  let cookie: string;
  let n = 0;
  const open: TestSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    base = t.listen();
    cookie = await signedInAdmin(t);
    // Ana has the inbox open: the team is online, so only the hours can make the chat "away".
    open.push(await openSocket(wsUrl(base, "/ws/inbox"), { cookie, origin: TEST_ORIGIN }));
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t.close();
  });

  async function inboxWith(values: Partial<typeof inboxes.$inferInsert>) {
    const [row] = await t.database.db.insert(inboxes).values({ name: "Shop", publicKey: `pk_hours_${++n}`, identitySecret: "s", timeZone: "UTC", ...values }).returning();
    return row!;
  }
  async function session(publicKey: string, locale?: string): Promise<SessionInbox> {
    const res = await requestSession(base, { inbox: publicKey, ...(locale ? { locale } : {}) });
    return ((await res.json()) as { inbox: SessionInbox }).inbox;
  }

  test("outside business hours the chat is away and says when the team is back", async () => {
    // Open only on the weekday after tomorrow (UTC), so that now is closed whatever the time.
    const day = (wallClock(new Date(), "UTC").day + 2) % 7;
    const inbox = await inboxWith({ businessHours: [{ day, from: "09:00", to: "17:00" }] });
    const weekday = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][day];
    expect(await session(inbox.publicKey)).toMatchObject({ agentsOnline: true, open: false, note: `Back ${weekday} at 09:00` });
    expect((await session(inbox.publicKey, "de")).note).toStartWith("Wieder da: ");
  });

  test("every day closed: away, with no time to promise", async () => {
    const inbox = await inboxWith({ businessHours: [] });
    expect(await session(inbox.publicKey)).toMatchObject({ open: false, note: "" });
  });

  test("the expected reply time: from the last week's median first response, a fixed text, or off", async () => {
    const auto = await inboxWith({});
    const now = Date.now();
    // Answered after 2, 3 and 90 minutes this week (median 3 minutes); a slow one two weeks ago does not count.
    for (const [ageMinutes, waitMinutes] of [[60, 2], [120, 3], [180, 90], [20_160, 600]] as const) {
      const createdAt = new Date(now - ageMinutes * 60_000);
      const [contact] = await t.database.db.insert(contacts).values({ inboxId: auto.id }).returning();
      await t.database.db.insert(conversations).values({ inboxId: auto.id, contactId: contact!.id, status: "closed", createdAt, firstResponseAt: new Date(createdAt.getTime() + waitMinutes * 60_000) });
    }
    expect(await session(auto.publicKey)).toMatchObject({ open: true, note: "Usually replies in a few minutes" });
    const fixed = await inboxWith({ replyTimeMode: "fixed", replyTimeText: "We answer within 2 hours" });
    expect((await session(fixed.publicKey)).note).toBe("We answer within 2 hours");
    const off = await inboxWith({ replyTimeMode: "off" });
    expect((await session(off.publicKey)).note).toBe("");
    const quiet = await inboxWith({});
    expect((await session(quiet.publicKey)).note).toBe("");
  });

  test("the settings page saves hours, and the chat follows", async () => {
    const inbox = await inboxWith({});
    const form: Record<string, string> = { name: "Shop", greeting: "", handoffMode: "bot", allowedOrigins: "", color: "#2563eb", position: "right" };
    Object.assign(form, { hoursSettings: "on", hoursOn: "on", timeZone: "Europe/Berlin", replyTimeMode: "auto", replyTimeText: "", assignmentMode: "manual", maxOpenPerAgent: "" });
    const res = await t.post(`/settings/inboxes/${inbox.id}`, form, { cookie });
    expect(res.status).toBe(303);
    const [saved] = await t.database.db.select().from(inboxes).where(eq(inboxes.id, inbox.id));
    expect(saved).toMatchObject({ businessHours: [], timeZone: "Europe/Berlin" });
    expect((await session(inbox.publicKey)).open).toBe(false);
    const page = await (await t.request(`/settings/inboxes/${inbox.id}`, { headers: { cookie } })).text();
    expect(page).toContain('value="Europe/Berlin"');
    // The field suggests the real zones while typing; a wrong one comes back as typed, with why.
    expect(page).toContain('list="inbox-time-zones"');
    expect(page).toContain('<option value="America/New_York">');
    const wrong = await t.post(`/settings/inboxes/${inbox.id}`, { ...form, timeZone: "Berlin" }, { cookie });
    expect(wrong.status).toBe(422);
    const html = await wrong.text();
    expect(html).toContain("&quot;Berlin&quot; is not a time zone.");
    expect(html).toContain('value="Berlin"');
    const [kept] = await t.database.db.select().from(inboxes).where(eq(inboxes.id, inbox.id));
    expect(kept!.timeZone).toBe("Europe/Berlin");
  });

  test("median buckets", () => {
    expect(replyTimeText(0)).toBe("Usually replies in a few minutes");
    expect(replyTimeText(600)).toBe("Usually replies in a few minutes");
    expect(replyTimeText(601)).toBe("Usually replies within an hour");
    expect(replyTimeText(3 * 3600)).toBe("Usually replies within a few hours");
    expect(replyTimeText(5 * 3600)).toBe("Usually replies within a day");
  });
});
