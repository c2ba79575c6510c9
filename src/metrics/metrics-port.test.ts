// METRICS_PORT: a second listener with /metrics alone, under the same token, started and stopped
// with the server; and the configuration that refuses to open it without a token.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { start, type RunningServer } from "../boot.ts";
import { ConfigError, parseConfig } from "../config.ts";
import { createLogger } from "../log/logger.ts";
import { parsePrometheusText } from "../testing/prom-text.ts";
import { freshDatabase, storageMode, type TestDatabase } from "../testing/test-database.ts";

const TOKEN = "metrics-port-token-0123456789abcdef";

describe("METRICS_PORT configuration", () => {
  test("needs METRICS_TOKEN, and a port other than PORT", () => {
    expect(() => parseConfig({ METRICS_PORT: "9464" })).toThrow(new ConfigError("METRICS_PORT needs METRICS_TOKEN: the metrics are served to a bearer of that token only"));
    expect(() => parseConfig({ METRICS_PORT: "3000", PORT: "3000", METRICS_TOKEN: TOKEN })).toThrow(/METRICS_PORT/);
    expect(() => parseConfig({ METRICS_PORT: "http", METRICS_TOKEN: TOKEN })).toThrow(/METRICS_PORT/);
    expect(parseConfig({ METRICS_PORT: "9464", METRICS_TOKEN: TOKEN }).metricsPort).toBe(9464);
    expect(parseConfig({ METRICS_TOKEN: TOKEN }).metricsPort).toBeNull();
  });
});

describe(`METRICS_PORT serves the metrics (${storageMode})`, () => {
  let database: TestDatabase | undefined;
  let dataDir = "";
  let server: RunningServer;
  let metricsUrl = "";
  const lines: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "sd-metrics-port-"));
    if (storageMode === "postgres") database = await freshDatabase();
    const config = parseConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      METRICS_TOKEN: TOKEN,
      METRICS_PORT: "0",
      LOG_FORMAT: "json",
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
    });
    server = await start(config, createLogger({ level: "info", format: "json" }, (line) => lines.push(line)));
    metricsUrl = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === "SupportDesk is listening")?.metrics;
  });
  afterAll(async () => {
    await server?.stop();
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("the same figures as the main port's /metrics, for the token only; nothing else is served there", async () => {
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(metricsUrl).port).not.toBe(server.url.port);
    const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const families = parsePrometheusText(await res.text());
    const main = parsePrometheusText(await (await fetch(new URL("/metrics", server.url), { headers: { authorization: `Bearer ${TOKEN}` } })).text());
    expect([...families.keys()].sort()).toEqual([...main.keys()].sort());
    expect(families.has("supportdesk_messages_stored_total")).toBe(true);

    for (const headers of [{}, { authorization: "Bearer wrong-token-wrong-token-0000" }] as Record<string, string>[]) {
      const refused = await fetch(metricsUrl, { headers });
      expect(refused.status).toBe(401);
      expect(await refused.text()).not.toContain("supportdesk_");
    }
    expect((await fetch(new URL("/login", metricsUrl), { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  test("stopping the server closes the metrics port too", async () => {
    await server.stop();
    await expect(fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } })).rejects.toThrow();
  });
});
