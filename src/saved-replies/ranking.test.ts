// The composer's `/` list ranks on the server: fuzzy on shortcut and name, best first.
import { describe, expect, test } from "bun:test";
import type { Scope } from "./model.ts";
import { fieldScore, rankReplies } from "./ranking.ts";

const reply = (shortcut: string, name: string, scope: Scope = "personal") => ({ shortcut, name, scope });
const REPLIES = [
  reply("thanks", "Thank you for waiting", "team"),
  reply("thx", "Quick thanks"),
  reply("refund", "Refund policy", "team"),
  reply("refund-eu", "Refunds in the EU"),
  reply("shipping", "Where is my order", "team"),
  reply("hello", "Greeting"),
];
const shortcuts = (q: string, limit = 10) => rankReplies(REPLIES, q, limit).map((r) => r.shortcut);

describe("ranking saved replies", () => {
  test("a field's score: whole, start, a word's start, inside, then letters in order (the tighter the better), else none", () => {
    const scores = ["refund", "refunds", "eu refund", "prerefund", "r-e-f-u-n-d", "rxxxxxxefund"].map((f) => fieldScore(f, "refund"));
    expect(scores.slice(0, 4)).toEqual([100, 90, 80, 70]);
    expect(scores[4]!).toBeLessThan(70);
    expect(scores[5]!).toBeLessThan(scores[4]!);
    expect(fieldScore("shipping", "refund")).toBeNull();
    expect(fieldScore("thanks", "thx")).toBeNull(); // t-h-x is not in "thanks" in order
    expect(fieldScore("thank you", "thy")).not.toBeNull();
  });

  test("an exact shortcut first, then shortcuts that start with it, then the rest of the fuzzy matches", () => {
    expect(shortcuts("thx")).toEqual(["thx"]);
    // Both shortcuts start with it (the shorter first); then a name with a word that does ("Refunds in the EU").
    expect(shortcuts("th")).toEqual(["thx", "thanks", "refund-eu"]);
    expect(shortcuts("refund")).toEqual(["refund", "refund-eu"]);
    expect(shortcuts("rfd")).toEqual(["refund", "refund-eu"]);
    // A word of the shortcut ("refund-eu") beats letters in order ("r-e-f-u-nd").
    expect(shortcuts("eu")).toEqual(["refund-eu", "refund"]);
  });

  test("names count too, a little behind shortcuts; any case", () => {
    expect(shortcuts("order")).toEqual(["shipping"]);
    expect(shortcuts("GREET")).toEqual(["hello"]);
    // "thanks" is a shortcut of one reply and a word of the other's name: the shortcut wins.
    expect(shortcuts("thanks")).toEqual(["thanks", "thx"]);
  });

  test("no match lists nothing; an empty query lists everything by shortcut; at most `limit`", () => {
    expect(shortcuts("zzz")).toEqual([]);
    expect(shortcuts("")).toEqual(["hello", "refund", "refund-eu", "shipping", "thanks", "thx"]);
    expect(shortcuts("", 2)).toEqual(["hello", "refund"]);
    expect(shortcuts("e", 3)).toHaveLength(3);
  });

  test("the same shortcut in one's own and the team's: one's own first", () => {
    const both = [reply("hi", "Team hello", "team"), reply("hi", "My hello")];
    expect(rankReplies(both, "hi", 5).map((r) => r.name)).toEqual(["My hello", "Team hello"]);
    expect(rankReplies(both, "", 5).map((r) => r.name)).toEqual(["My hello", "Team hello"]);
  });
});
