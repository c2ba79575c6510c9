// GET /metrics: off without METRICS_TOKEN, 401 without or with a wrong token, and with it the
// Prometheus text an operator scrapes: request durations by route pattern (never a raw path or an
// id), open sockets per kind, the jobs' backlog, the process's memory and event-loop lag.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { getHeapSpaceStatistics } from "node:v8";
import { schedule } from "../jobs/schedule.ts";
import { signedInTeam, type TeamMember } from "../testing/fixtures.ts";
import { createTestApp, requestLinesWritten, type TestApp } from "../testing/test-app.ts";
import { storageMode } from "../testing/test-database.ts";
import { eventually } from "../testing/eventually.ts";
import { wsUrl } from "../testing/widget-client.ts";
import { openSocket } from "../testing/ws-client.ts";

const TOKEN = "metrics-token-for-the-test-0123456789";

describe(`metrics (${storageMode})`, () => {
  let t: TestApp;
  let ana: TeamMember;
  const scrape = (token: string | null = TOKEN) => t.request("/metrics", token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
  /** The value of one series, e.g. `supportdesk_jobs{status="pending"}`. */
  const valueOf = (text: string, series: string) => {
    const line = text.split("\n").find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { METRICS_TOKEN: TOKEN } });
    ({ ana } = await signedInTeam(t));
  });
  afterAll(() => t.close());

  test("without METRICS_TOKEN /metrics does not exist", async () => {
    const off = await createTestApp();
    try {
      expect((await off.request("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    } finally {
      await off.close();
    }
  });

  test("no token, a wrong one or one of another length: 401 with a Bearer challenge, and no figure", async () => {
    for (const token of [null, "wrong-token-wrong-token-wrong-token-00", "short", `${TOKEN}x`]) {
      const res = await scrape(token);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      expect(await res.text()).not.toContain("supportdesk_");
    }
  });

  test("request durations are counted by method, route pattern and status class; ids and unmatched paths never become labels", async () => {
    const id = crypto.randomUUID();
    await t.request(`/inbox/c/${id}`, { headers: { cookie: ana.cookie } });
    await t.request(`/no/such/page/${id}`);
    // Durations are recorded after each response is sent, with its log line: once a later request's line is there, these are too.
    await requestLinesWritten(t);
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toContain('supportdesk_http_request_duration_seconds_count{method="GET",route="/inbox/c/:id",status="4xx"} 1');
    expect(text).toContain('route="unmatched",status="4xx"');
    expect(text).not.toContain(id);
    expect(text).toMatch(/^# TYPE supportdesk_http_request_duration_seconds histogram$/m);
  });

  test("the jobs' backlog by status and the oldest due job's wait", async () => {
    const before = (await (await scrape()).text());
    const pending = valueOf(before, 'supportdesk_jobs{status="pending"}') ?? 0;
    await schedule(t.database.db, "metrics.test", {}, { runAt: new Date(Date.now() - 60_000) });
    const text = await (await scrape()).text();
    expect(valueOf(text, 'supportdesk_jobs{status="pending"}')).toBe(pending + 1);
    expect(valueOf(text, "supportdesk_jobs_oldest_due_age_seconds")).toBeGreaterThanOrEqual(59);
  });

  test("open sockets per kind, and the process's memory and event-loop lag", async () => {
    const base = t.listen();
    const inbox = await openSocket(wsUrl(base, "/ws/inbox"), { cookie: ana.cookie, origin: "http://localhost:3000" });
    try {
      // The server counts the socket once its session is checked, a moment after the client sees it open.
      let text = "";
      await eventually(async () => valueOf((text = await (await scrape()).text()), 'supportdesk_open_sockets{kind="inbox"}') === 1, "the inbox socket counted");
      expect(valueOf(text, 'supportdesk_open_sockets{kind="widget"}')).toBe(0);
      expect(valueOf(text, "supportdesk_process_resident_memory_bytes")).toBeGreaterThan(1_000_000);
      expect(text).toContain("supportdesk_nodejs_eventloop_lag_seconds");
    } finally {
      inbox.close();
    }
  });

  test("an event-loop stall shows in the lag figures (the monitor wakes every 100 ms, not every 10)", async () => {
    await scrape();
    // A handler that holds the loop for 250 ms: the monitor's wake due inside it comes late.
    const until = performance.now() + 250;
    while (performance.now() < until) {}
    await Bun.sleep(150);
    const text = await (await scrape()).text();
    expect(valueOf(text, "supportdesk_nodejs_eventloop_lag_max_seconds")).toBeGreaterThanOrEqual(0.1);
  });

  test("a scrape does not walk the heap (Bun's per-space heap figures do, standing the event loop still)", async () => {
    // A server's heap: two million live objects make one walk take about a hundred milliseconds.
    const live = Array.from({ length: 2_000_000 }, (_, i) => ({ i }));
    const started = performance.now();
    getHeapSpaceStatistics();
    const walk = performance.now() - started;
    await scrape();
    const before = performance.now();
    const text = await (await scrape()).text();
    const scrapeMs = performance.now() - before;
    expect(scrapeMs).toBeLessThan(walk / 2);
    expect(text).not.toContain("nodejs_heap_space_size");
    // The heap's size is still reported.
    expect(valueOf(text, "supportdesk_nodejs_heap_size_used_bytes")).toBeGreaterThan(1_000_000);
    expect(live.length).toBe(2_000_000);
  });
});
