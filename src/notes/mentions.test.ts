// Who a note mentions, and whom the `@` list offers: the rules of src/notes/mentions.ts.
import { describe, expect, test } from "bun:test";
import { resolveMentions, teammatesFor } from "./mentions.ts";

const team = [
  { id: "ana", name: "Ana" },
  { id: "ana-lima", name: "Ana Lima" },
  { id: "ben", name: "Ben Okafor" },
  { id: "zoe", name: "Zoë" },
];

describe("resolveMentions", () => {
  test("a full name after @, any case, the longest that fits; each once, in order; never the author", () => {
    expect(resolveMentions("@ben okafor and @Ana Lima, see this. @Ana too, @ben okafor again", team, "zoe")).toEqual(["ben", "ana-lima", "ana"]);
    expect(resolveMentions("@Ana Lima please", team, "ana-lima")).toEqual([]);
    expect(resolveMentions("(@Zoë)", team, "ana")).toEqual(["zoe"]);
  });

  test("not inside a word or an address, not a longer word, not a first name alone", () => {
    expect(resolveMentions("mail ana@Ana.example or @Anamaria or @Ben", team, null)).toEqual([]);
    expect(resolveMentions("@Ana_x", team, null)).toEqual([]);
  });
});

describe("teammatesFor", () => {
  test("names starting with the query first, then a word of the name, then anywhere; not the author", () => {
    expect(teammatesFor(team, "", "ana").map((a) => a.id)).toEqual(["ana-lima", "ben", "zoe"]);
    expect(teammatesFor(team, "li", "zoe").map((a) => a.id)).toEqual(["ana-lima"]);
    expect(teammatesFor(team, "a", "zoe").map((a) => a.id)).toEqual(["ana", "ana-lima", "ben"]);
    expect(teammatesFor(team, "xyz", "zoe")).toEqual([]);
  });
});
