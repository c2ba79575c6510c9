// Inbox settings for admins (/settings/inboxes/:id): a change is stored, shown again, and the
// widget uses it at once (HTTP and socket). Validation: inbox-settings-validation.test.ts; who may
// change what: inbox-settings-access.test.ts.
import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { contacts } from "../db/schema/index.ts";
import { TEST_ORIGIN } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { openSocket } from "../testing/ws-client.ts";
import { identityHash } from "../widget/identity.ts";
import { settingsForm, settingsTestApp } from "./settings-fixture.ts";

describe(`inbox settings (${storageMode})`, () => {
  const app = settingsTestApp();
  const { sockets, db, post, get, newInbox, reload, widgetSession, widgetSend, widgetMessages } = app;
  let base: string;
  let adminCookie: string;
  beforeAll(() => void ({ base, adminCookie } = app.state));

  test("an admin edits every setting: stored, shown again with a Saved message, and the widget uses it at once", async () => {
    const inbox = await newInbox();
    const before = await widgetSession({ inbox: inbox.publicKey });
    expect(before.data.inbox).toMatchObject({ greeting: "Hi! How can we help?", handoffMode: "bot", color: "#2563eb", position: "right" });

    const res = await post(
      `/settings/inboxes/${inbox.id}`,
      settingsForm({ requireIdentity: undefined }, [
        ["refund, money back", "Refunds take 5 days."],
        ["", ""], // a blank row (the one the page always adds) is dropped
        ["shipping ,  delivery", "We ship within 2 days."],
      ]),
      adminCookie,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/settings/inboxes/${inbox.id}?done=saved`);

    const stored = await reload(inbox.id);
    expect(stored).toMatchObject({
      name: "Shop help",
      greeting: "Welcome to the shop!",
      handoffMode: "bot",
      allowedOrigins: ["https://shop.example", "https://www.shop.example"],
      color: "#0f766e",
      position: "left",
      requireIdentity: false,
      faq: [
        { keywords: ["refund", "money back"], answer: "Refunds take 5 days." },
        { keywords: ["shipping", "delivery"], answer: "We ship within 2 days." },
      ],
      // What the page does not edit stays as it was.
      publicKey: inbox.publicKey,
      identitySecret: inbox.identitySecret,
    });

    const page = await get(res.headers.get("location")!, adminCookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<div role="status"[^>]*>\s*<p class="notice">Saved\./);
    expect(html).toContain('value="Shop help"');
    expect(html).toContain("Welcome to the shop!</textarea>");
    expect(html).toMatch(/id="handoffMode-bot"[^>]*checked/);
    expect(html).not.toMatch(/id="handoffMode-immediate"[^>]*checked/);
    expect(html).toMatch(/id="position-left"[^>]*checked/);
    expect(html).toContain('value="refund, money back"');
    expect(html).toContain("We ship within 2 days.</textarea>");
    expect(html).toContain("https://shop.example\nhttps://www.shop.example</textarea>");
    expect(html).toContain('value="#0f766e"');
    expect(html).not.toMatch(/id="requireIdentity"[^>]*checked/);
    expect(html).toContain(`data-inbox=&quot;${inbox.publicKey}&quot;`);

    // The widget: the new look and greeting, and the FAQ answers in bot mode.
    const after = await widgetSession({ inbox: inbox.publicKey });
    expect(after.status).toBe(200);
    expect(after.data.inbox).toMatchObject({ name: "Shop help", greeting: "Welcome to the shop!", handoffMode: "bot", color: "#0f766e", position: "left" });
    await widgetSend(after.data.token, "Can I get my money back?");
    expect(await widgetMessages(after.data.token)).toEqual([
      ["bot", "Welcome to the shop!"],
      ["customer", "Can I get my money back?"],
      ["bot", "Refunds take 5 days."],
    ]);

    // Straight to the queue, and identity required, also at once.
    expect((await post(`/settings/inboxes/${inbox.id}`, settingsForm({ handoffMode: "immediate" }), adminCookie)).status).toBe(303);
    const anonymous = await widgetSession({ inbox: inbox.publicKey });
    expect(anonymous.status).toBe(401);
    expect(anonymous.data.error.code).toBe("identity_required");
    const user = { id: "user-1", hash: identityHash(inbox.identitySecret, "user-1") };
    const verified = await widgetSession({ inbox: inbox.publicKey, user });
    expect(verified.data.inbox.handoffMode).toBe("immediate");
    await widgetSend(verified.data.token, "Where is my refund?");
    expect(await widgetMessages(verified.data.token)).toEqual([["customer", "Where is my refund?"]]);
    expect((await reload(inbox.id)).requireIdentity).toBe(true);
    const again = await (await get(`/settings/inboxes/${inbox.id}`, adminCookie)).text();
    expect(again).toMatch(/id="requireIdentity"[^>]*checked/);
    expect(again).toMatch(/id="handoffMode-immediate"[^>]*checked/);
  });

  test("Keep page query strings: off by default; saved and shown ticked when an admin turns it on, and visitors' pages keep their query then, never the fragment", async () => {
    const inbox = await newInbox();
    expect(inbox.keepPageQuery).toBe(false);
    expect(await (await get(`/settings/inboxes/${inbox.id}`, adminCookie)).text()).toMatch(/<input type="checkbox" id="keepPageQuery" name="keepPageQuery" value="on" aria-describedby/);
    const user = { id: "user-page", hash: identityHash(inbox.identitySecret, "user-page") };
    const page = "https://shop.example/account?token=s3cret-session&tab=orders#access_token=abc";
    const storedPage = async () => {
      const { status, data } = await widgetSession({ inbox: inbox.publicKey, user, page });
      expect(status).toBe(200);
      return (await db().select().from(contacts).where(eq(contacts.id, data.contact.id)))[0]!.lastPageUrl;
    };
    expect(await storedPage()).toBe("https://shop.example/account");

    const res = await post(`/settings/inboxes/${inbox.id}`, settingsForm({ keepPageQuery: "on" }), adminCookie);
    expect(res.status).toBe(303);
    expect((await reload(inbox.id)).keepPageQuery).toBe(true);
    expect(await (await get(res.headers.get("location")!, adminCookie)).text()).toMatch(/id="keepPageQuery"[^>]*checked/);
    expect(await storedPage()).toBe("https://shop.example/account?token=s3cret-session&tab=orders");

    // An unticked box is not posted: the setting goes off again.
    expect((await post(`/settings/inboxes/${inbox.id}`, settingsForm(), adminCookie)).status).toBe(303);
    expect((await reload(inbox.id)).keepPageQuery).toBe(false);
    expect(await (await get(`/settings/inboxes/${inbox.id}`, adminCookie)).text()).not.toMatch(/id="keepPageQuery"[^>]*checked/);
    expect(await storedPage()).toBe("https://shop.example/account");
  });

  test("an open widget socket uses the new FAQ from the next message on", async () => {
    const inbox = await newInbox();
    const { data } = await widgetSession({ inbox: inbox.publicKey });
    const ws = await openSocket(`${base.replace("http", "ws")}/ws/widget`, { origin: TEST_ORIGIN });
    sockets.push(ws);
    ws.send({ type: "auth", token: data.token });
    await ws.waitForJson((f) => f.type === "ready");

    expect((await post(`/settings/inboxes/${inbox.id}`, settingsForm({ requireIdentity: undefined, allowedOrigins: "" }, [["opening hours", "9 to 5."]]), adminCookie)).status).toBe(303);
    ws.send({ type: "send", clientId: "c1", body: "What are your opening hours?" });
    ws.send({ type: "resume", lastSeq: 0 }); // as a client does on the status frame naming its new conversation
    await ws.waitForJson((f) => f.type === "message" && f.message?.body === "9 to 5.");

    // Identity now required: the anonymous socket is told and closed on its next message.
    expect((await post(`/settings/inboxes/${inbox.id}`, settingsForm({ allowedOrigins: "" }), adminCookie)).status).toBe(303);
    ws.send({ type: "send", clientId: "c2", body: "Still there?" });
    expect((await ws.waitForJson((f) => f.type === "error")).code).toBe("unauthorized");
    expect((await ws.closed).code).toBe(1008);
  });
});
