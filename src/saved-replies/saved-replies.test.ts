// Saved replies through the service, on the storage mode of the run: who reads and writes what,
// the shortcut's uniqueness (any case), and the composer's ranked, filled-in suggestions.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { AdminsOnly } from "../auth/agent-session.ts";
import { agents, contacts } from "../db/schema/index.ts";
import { insertConversation } from "../testing/fixtures.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import type { Agent } from "../agents/service.ts";
import * as service from "./service.ts";

describe(`saved replies: the service (${storageMode})`, () => {
  let t: TestApp;
  let ana: Agent, ben: Agent, cleo: Agent;
  const db = () => t.database.db;
  const form = (shortcut: string, body = `Text of ${shortcut}`, name = `Name of ${shortcut}`) => ({ name, shortcut, body });
  /** Creates, expecting it to work. */
  async function made(agent: Agent, scope: "personal" | "team", values: ReturnType<typeof form>) {
    const result = await service.createReply(db(), agent, scope, values);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.reply;
  }

  beforeAll(async () => {
    t = await createTestApp();
    const [a, b, c] = await db()
      .insert(agents)
      .values([
        { name: "Ana", email: "ana@example.com", passwordHash: "x", role: "admin" },
        { name: "Ben", email: "ben@example.com", passwordHash: "x" },
        { name: "Cleo", email: "cleo@example.com", passwordHash: "x" },
      ])
      .returning();
    [ana, ben, cleo] = [a!, b!, c!];
  });
  afterAll(() => t.close());

  test("an agent adds, changes and deletes their own replies; the lists split the team's from one's own", async () => {
    const reply = await made(ben, "personal", form("ben-hi"));
    expect(reply).toMatchObject({ scope: "personal", ownerId: ben.id, shortcut: "ben-hi" });
    const changed = await service.updateReply(db(), ben, reply.id, form("ben-hello", "Hello!", "Hello"));
    expect(changed.ok && changed.reply).toMatchObject({ id: reply.id, shortcut: "ben-hello", body: "Hello!", name: "Hello" });
    expect((await service.listReplies(db(), ben, "")).personal.map((r) => r.shortcut)).toContain("ben-hello");
    await service.deleteReply(db(), ben, reply.id);
    expect((await service.listReplies(db(), ben, "")).personal.map((r) => r.id)).not.toContain(reply.id);
    await expect(service.deleteReply(db(), ben, reply.id)).rejects.toThrow(service.SavedReplyRefused);
  });

  test("only admins write the team's replies; every agent reads and uses them", async () => {
    await expect(service.createReply(db(), ben, "team", form("team-by-ben"))).rejects.toThrow(AdminsOnly);
    const team = await made(ana, "team", form("welcome", "Welcome!"));
    expect(team).toMatchObject({ scope: "team", ownerId: null });
    expect((await service.listReplies(db(), ben, "")).team.map((r) => r.id)).toContain(team.id);
    await expect(service.replyToEdit(db(), ben, team.id)).rejects.toThrow(AdminsOnly);
    await expect(service.updateReply(db(), ben, team.id, form("hijacked"))).rejects.toThrow(AdminsOnly);
    await expect(service.deleteReply(db(), ben, team.id)).rejects.toThrow(AdminsOnly);
    expect((await service.replyToEdit(db(), ana, team.id)).body).toBe("Welcome!");
    const renamed = await service.updateReply(db(), ana, team.id, form("welcome", "Welcome aboard!"));
    expect(renamed.ok).toBe(true);
  });

  test("an agent never sees a colleague's personal replies, admins included: not listed, not found, not suggested", async () => {
    const secret = await made(cleo, "personal", form("cleo-secret", "Cleo's own words"));
    for (const other of [ben, ana]) {
      const lists = await service.listReplies(db(), other, "");
      expect([...lists.team, ...lists.personal].map((r) => r.id)).not.toContain(secret.id);
      await expect(service.replyToEdit(db(), other, secret.id)).rejects.toThrow(service.SavedReplyRefused);
      await expect(service.updateReply(db(), other, secret.id, form("taken-over"))).rejects.toThrow(service.SavedReplyRefused);
      await expect(service.deleteReply(db(), other, secret.id)).rejects.toThrow(service.SavedReplyRefused);
      const { conversation } = await insertConversation(db());
      expect((await service.suggestions(db(), other, conversation.id, "cleo"))!.map((s) => s.id)).not.toContain(secret.id);
    }
    expect((await service.replyToEdit(db(), cleo, secret.id)).id).toBe(secret.id);
    await expect(service.replyToEdit(db(), cleo, "not-a-uuid")).rejects.toThrow(service.SavedReplyRefused);
  });

  test("a shortcut is unique per owner and among the team's, whatever its case; another owner may use it", async () => {
    await made(ben, "personal", form("Refund"));
    const again = await service.createReply(db(), ben, "personal", form("rEFUND"));
    expect(again).toEqual({ ok: false, errors: { shortcut: "You already have a reply with the shortcut /rEFUND." } });
    // Cleo's own, and the team's, may have it.
    await made(cleo, "personal", form("refund"));
    await made(ana, "team", form("REFUND"));
    const teamAgain = await service.createReply(db(), ana, "team", form("refund"));
    expect(teamAgain).toEqual({ ok: false, errors: { shortcut: "The team already has a reply with the shortcut /refund." } });
    // Renaming onto a taken shortcut is refused the same way, and changes nothing.
    const other = await made(ben, "personal", form("other"));
    expect(await service.updateReply(db(), ben, other.id, form("REFUND"))).toEqual({ ok: false, errors: { shortcut: "You already have a reply with the shortcut /REFUND." } });
    expect((await service.replyToEdit(db(), ben, other.id)).shortcut).toBe("other");
    // A form's own errors come back before anything is written.
    expect((await service.createReply(db(), ben, "personal", form("two words"))).ok).toBe(false);
  });

  test("the settings search finds name, shortcut or text, in any case, and only among what the agent may see", async () => {
    await made(ben, "personal", form("shipping_time", "Parcels take 3 to 5 days.", "Delivery times"));
    await made(ana, "team", form("returns", "Send it back within 30 DAYS.", "Returns"));
    await made(cleo, "personal", form("cleo-days", "Cleo's days"));
    const found = async (q: string) => {
      const lists = await service.listReplies(db(), ben, q);
      return [...lists.team, ...lists.personal].map((r) => r.shortcut).sort();
    };
    expect(await found("days")).toEqual(["returns", "shipping_time"]);
    expect(await found("DELIVERY")).toEqual(["shipping_time"]);
    expect(await found("/shipping")).toEqual(["shipping_time"]);
    // LIKE's own characters are text here.
    expect(await found("%")).toEqual([]);
    expect(await found("_")).toEqual(["shipping_time"]);
  });

  test("suggestions: ranked on the server, at most eight, filled in for the conversation's customer and the agent", async () => {
    const { conversation, contact } = await insertConversation(db());
    await db().update(contacts).set({ name: "Kim Lee", email: "kim@example.com" }).where(eq(contacts.id, contact.id));
    await made(ben, "personal", form("thx", "Thanks {{contact.name}}! — {{agent.name}} ({{contact.email}})", "Quick thanks"));
    await made(ana, "team", form("thanks-long", "Thank you for waiting, {{contact.name|friend}}."));
    const thx = (await service.suggestions(db(), ben, conversation.id, "thx"))!;
    expect(thx[0]).toMatchObject({ shortcut: "thx", scope: "personal", text: "Thanks Kim Lee! — Ben (kim@example.com)" });
    const th = (await service.suggestions(db(), ben, conversation.id, "th"))!;
    expect(th.map((s) => s.shortcut).slice(0, 2)).toEqual(["thx", "thanks-long"]);
    expect(th.find((s) => s.shortcut === "thanks-long")!.text).toBe("Thank you for waiting, Kim Lee.");

    // An anonymous customer: the fallbacks, no braces.
    const anonymous = await insertConversation(db());
    await db().update(contacts).set({ name: null, email: null }).where(eq(contacts.id, anonymous.contact.id));
    const filled = (await service.suggestions(db(), ben, anonymous.conversation.id, "thx"))![0]!.text;
    expect(filled).toBe("Thanks there! — Ben (your email address)");
    expect((await service.suggestions(db(), ben, anonymous.conversation.id, "thanks-l"))![0]!.text).toBe("Thank you for waiting, friend.");

    for (let i = 0; i < 10; i++) await made(ben, "personal", form(`bulk-${i}`));
    expect(await service.suggestions(db(), ben, conversation.id, "")).toHaveLength(8);
    expect(await service.suggestions(db(), ben, conversation.id, "no-such-reply")).toEqual([]);
    expect(await service.suggestions(db(), ben, crypto.randomUUID(), "thx")).toBeUndefined();
    expect(await service.suggestions(db(), ben, "nope", "thx")).toBeUndefined();
  });
});
