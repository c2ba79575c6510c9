// Invites with SMTP_URL: the link goes by email; a mail server that cannot be reached is said.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { invites } from "../db/schema/index.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { fakeSmtpServer, invite, LINK, setUpAdmin } from "./invite-fixture.ts";

describe(`invites by email (${storageMode})`, () => {
  let t: TestApp;
  let admin: string;
  let smtp: ReturnType<typeof fakeSmtpServer>;
  beforeAll(async () => {
    smtp = fakeSmtpServer();
    t = await createTestApp({
      env: { SMTP_URL: `smtp://mailer:secret@127.0.0.1:${smtp.port}`, MAIL_FROM: "Support <support@example.com>" },
    });
    admin = await setUpAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    smtp.stop();
  });

  test("with SMTP_URL the link goes to the invitee's mailbox, not onto the admin's screen", async () => {
    const { res, page, token } = await invite(t, admin, "fay@example.com");
    expect(res.status).toBe(200);
    expect(token).toBeNull();
    expect(page).toContain("An email with the invite link was sent to");
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(["fay@example.com"]);
    expect(mail.from).toContain("support@example.com");
    const body = mail.data.replace(/=\n/g, "");
    expect(body).toContain("Subject: You are invited to SupportDesk");
    const link = LINK.exec(body)?.[1];
    expect(link).toBeDefined();
    const accepted = await t.post(`/invites/${link}`, { name: "Fay", password: "fay-password" });
    expect(accepted.status).toBe(303);
  });

  test("a mail server that cannot be reached: the admin is told, the invite exists and its link is shown", async () => {
    const closed = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = closed.port;
    closed.stop(true);
    const other = await createTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
    try {
      const cookie = await setUpAdmin(other);
      const { res, page, token } = await invite(other, cookie, "gus@example.com");
      expect(res.status).toBe(200);
      expect(page).toContain("could not be sent");
      expect(page).toContain("the mail server could not be reached");
      expect(token).not.toBeNull();
      const rows = await other.database.db.select().from(invites).where(eq(invites.email, "gus@example.com"));
      expect(rows).toHaveLength(1);
      expect(other.logs.some((l) => l.includes("invite email not sent"))).toBe(true);
      expect((await other.request(`/invites/${token}`)).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
