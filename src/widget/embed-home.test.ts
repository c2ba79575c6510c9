// What the widget's home and away card say (issue 18 item 13, issue 17's leftover), from the
// chat's state: the widget's modules in happy-dom (embed-dom.ts).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { loadEmbed } from "./embed-dom.ts";

let embed: Awaited<ReturnType<typeof loadEmbed>>;
beforeAll(async () => {
  embed = await loadEmbed();
  await embed.connect();
});
afterAll(() => embed.unload());

const withInbox = (inbox: Record<string, unknown>) => Object.assign(embed.chat.inbox, { note: "Usually replies in a few minutes", until: null, ...inbox });

test("before the customer writes: the home, with whom they write to, the reply time and the greeting, which then stays only with an immediate handoff", () => {
  Object.assign(embed.chat, { msgs: [], outbox: [] });
  withInbox({ open: true, agentsOnline: true, greeting: "Hi!", handoffMode: "bot" });
  expect(embed.chat.home).toBe(true);
  expect(embed.chat.homeTitle).toBe("Chat with Shop");
  expect(embed.chat.replyNote).toBe("Usually replies in a few minutes");
  expect(embed.chat.headNote).toBe(""); // the home says it
  expect(embed.chat.showGreeting).toBe(true);
  embed.chat.msgs = [{ id: "m1", seq: 1, sender: "customer", body: "Hello", createdAt: new Date().toISOString() }];
  expect(embed.chat.home).toBe(false);
  expect(embed.chat.headNote).toBe("Usually replies in a few minutes");
  expect(embed.chat.showGreeting).toBe(false);
  withInbox({ handoffMode: "immediate" });
  expect(embed.chat.showGreeting).toBe(true);
  embed.chat.msgs = [];
});

test("nobody online within business hours: no reply time, but when today's hours end; outside them, when the team is back", () => {
  withInbox({ open: true, agentsOnline: false, until: "17:00" });
  expect(embed.chat.away).toBe(true);
  expect(embed.chat.replyNote).toBe("");
  expect(embed.chat.awayUntil).toBe("We're open until 17:00 today and will reply as soon as someone is back.");
  withInbox({ open: true, agentsOnline: false, until: null }); // no business hours: nothing to promise
  expect(embed.chat.awayUntil).toBe("");
  withInbox({ open: false, agentsOnline: true, note: "Back Monday at 09:00" });
  expect(embed.chat.away).toBe(true);
  expect(embed.chat.replyNote).toBe("Back Monday at 09:00");
  expect(embed.chat.awayUntil).toBe("");
});

test("the sound button's name says what a press does", () => {
  embed.chat.muted = false;
  expect(embed.chat.muteLabel).toBe("Mute sounds");
  embed.chat.muted = true;
  expect(embed.chat.muteLabel).toBe("Turn sounds on");
  embed.chat.muted = false;
});
