// deploy/'s dashboard and alert rules name only metrics the app exposes (a renamed metric would
// leave an empty panel or an alert that never fires), and the dashboard takes its data source
// from a variable, so that it can be imported next to any Prometheus.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parsePrometheusText } from "../testing/prom-text.ts";
import { createTestApp, type TestApp } from "../testing/test-app.ts";

const DEPLOY = join(import.meta.dir, "..", "..", "deploy");
const REDIS_URL = process.env.TEST_REDIS_URL?.trim() || null;
/** Series that exist only with REDIS_URL: without a test Redis, the scrape cannot show them. */
const REDIS_ONLY = new Set(["supportdesk_redis_subscription_up"]);

interface Panel {
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: Array<{ expr: string; datasource?: { uid?: string } }>;
}

const dashboard = JSON.parse(readFileSync(join(DEPLOY, "grafana/dashboards/supportdesk.json"), "utf8")) as {
  panels: Panel[];
  templating: { list: Array<{ type: string; name: string }> };
};
const alerts = readFileSync(join(DEPLOY, "prometheus/alerts.yml"), "utf8");

/** The metric families an expression names (a histogram's _bucket, _sum and _count are its family's). */
function familiesIn(text: string): Set<string> {
  return new Set([...text.matchAll(/\bsupportdesk_[a-z0-9_]+/g)].map(([name]) => name.replace(/_(bucket|sum|count)$/, "")));
}

describe("deploy/: the dashboard and the alerts", () => {
  let t: TestApp;
  let exposed: Set<string>;

  beforeAll(async () => {
    t = await createTestApp({ env: REDIS_URL ? { REDIS_URL, SESSION_SECRET: "deploy-files-secret-0123456789abcdef" } : {} });
    exposed = new Set(parsePrometheusText(await t.ctx.metrics.registry!.metrics()).keys());
  });
  afterAll(() => t.close());

  const unknown = (names: Set<string>) => [...names].filter((name) => !exposed.has(name) && (REDIS_URL || !REDIS_ONLY.has(name)));

  test("every metric the dashboard's panels query is one the app exposes", () => {
    const exprs = dashboard.panels.flatMap((panel) => panel.targets ?? []).map((target) => target.expr);
    expect(exprs.length).toBeGreaterThan(20);
    const named = familiesIn(exprs.join("\n"));
    expect(unknown(named)).toEqual([]);
    // And the figures issue 15 asks for are all on it.
    for (const name of ["supportdesk_messages_stored_total", "supportdesk_message_publish_to_write_seconds", "supportdesk_queue_oldest_wait_seconds", "supportdesk_db_pool_connections", "supportdesk_redis_subscription_up", "supportdesk_nodejs_eventloop_lag_p99_seconds"]) {
      expect(named).toContain(name);
    }
  });

  test("every metric the alert rules use is one the app exposes", () => {
    const named = familiesIn(alerts);
    expect(named.size).toBeGreaterThanOrEqual(6);
    expect(unknown(named)).toEqual([]);
  });

  test("the dashboard's data source is a variable that every panel and query uses", () => {
    expect(dashboard.templating.list.find((v) => v.name === "datasource")?.type).toBe("datasource");
    for (const panel of dashboard.panels.filter((p) => p.type !== "row")) {
      expect({ panel: panel.title, uid: panel.datasource?.uid }).toEqual({ panel: panel.title, uid: "${datasource}" });
      for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe("${datasource}");
    }
  });
});
