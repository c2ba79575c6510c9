// What rendering one message's text costs (src/messages/render-body.ts): every message is rendered
// once on the instance that stores it, and again when it is replayed or mailed. Prints microseconds
// of CPU per rendering for a few kinds of message, each text new (the renderer keeps its latest).
//
//   bun run bench/render-body.ts
//
// Environment (optional): BENCH_RENDERS  renderings per kind (20000)
import { safeBodyHtml } from "../src/messages/render-body.ts";

const RENDERS = Number(process.env.BENCH_RENDERS ?? 20_000);

const kinds: Array<[kind: string, text: string]> = [
  ["plain, 200 characters (bench/delivery's)", `b 1 123 1234.567 ${"x".repeat(180)}`],
  ["a sentence with punctuation", "Hi, I have a problem with my order #1234: it was charged twice. Can you help?"],
  ["Markdown: bold, a list, code", "**Steps**\n\n- open *Settings*\n- press `Save`\n\nthen reload"],
  ["a URL and a www. link", "see https://example.com/a?b=c and www.shop.example too"],
  ["an email address", "my email is bob@example.com, thanks!"],
];

console.log(`safeBodyHtml: microseconds of CPU per rendering, ${RENDERS} renderings per kind after ${RENDERS / 10} to warm up`);
for (const [kind, text] of kinds) {
  for (let i = 0; i < RENDERS / 10; i++) safeBodyHtml(`${text} w${i}`);
  const start = process.cpuUsage();
  for (let i = 0; i < RENDERS; i++) safeBodyHtml(`${text} ${i}`);
  const cpu = process.cpuUsage(start);
  console.log(`${(((cpu.user + cpu.system) / RENDERS)).toFixed(1).padStart(7)} µs  ${kind}`);
}
