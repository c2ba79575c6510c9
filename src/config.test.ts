import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_HELP, parseConfig } from "./config.ts";
import { LIMIT_VARIABLES } from "./limits/settings.ts";

describe("config", () => {
  test("an empty environment gives the embedded defaults", () => {
    const config = parseConfig({}, "/srv/app");
    expect(config.port).toBe(3000);
    expect(config.host).toBe("0.0.0.0");
    expect(config.publicUrl.origin).toBe("http://localhost:3000");
    expect(config.databaseUrl).toBeNull();
    expect(config.redisUrl).toBeNull();
    expect(config.dataDir).toBe(join("/srv/app", "data"));
    expect(config.sessionSecret).toBeNull();
    expect(config.admin).toBeNull();
    expect(config.logLevel).toBe("info");
    expect(config.logFormat).toBe("pretty");
    expect(config.timeZone).toBe("UTC");
    // Today's limits: an operator who sets nothing gets what SupportDesk did before the variables.
    expect(config.limits).toEqual({
      messagesPerContactPerMinute: 60,
      messagesPerIpPerMinute: 300,
      conversationsPerContactPer12Hours: 6,
      conversationsPerIpPerHour: 30,
      sessionsPerIpPerMinute: 60,
      historyFetchesPerContactPerMinute: 120,
      historyFetchesPerIpPerMinute: 600,
      readFramesPerContactPerMinute: 60,
      readFramesPerIpPerMinute: 300,
      typingFramesPerContactPerSecond: 4,
      typingFramesPerIpPerSecond: 20,
      handoffsPerContactPerMinute: 10,
      handoffsPerIpPerMinute: 50,
      transcriptsPerContactPerHour: 5,
      transcriptsPerIpPerHour: 30,
      openWidgetSocketsPerIp: 100,
      openAgentSocketsPerIp: 100,
      loginAttemptsPerEmailAndIpPer15Minutes: 5,
      loginAttemptsPerIpPer15Minutes: 50,
      inboundEmailMaxBytes: 10 * 1024 * 1024,
    });
  });

  test("every variable is read", () => {
    const config = parseConfig({
      PORT: "8080",
      HOST: "127.0.0.1",
      PUBLIC_URL: "https://support.example.com",
      DATABASE_URL: "postgres://u:p@db:5432/sd",
      DATA_DIR: "/var/lib/sd",
      REDIS_URL: "redis://cache:6379",
      SESSION_SECRET: "s".repeat(40),
      ADMIN_EMAIL: "Boss@Example.com",
      ADMIN_PASSWORD: "long enough",
      LOG_LEVEL: "debug",
      LOG_FORMAT: "json",
      TIME_ZONE: "Europe/Berlin",
      CONVERSATIONS_PER_IP_PER_HOUR: "500",
    });
    expect(config.port).toBe(8080);
    expect(config.host).toBe("127.0.0.1");
    expect(config.publicUrl.origin).toBe("https://support.example.com");
    expect(config.databaseUrl).toBe("postgres://u:p@db:5432/sd");
    expect(config.dataDir).toBe("/var/lib/sd");
    expect(config.redisUrl).toBe("redis://cache:6379");
    expect(config.admin).toEqual({ email: "boss@example.com", password: "long enough" });
    expect(config.logLevel).toBe("debug");
    expect(config.logFormat).toBe("json");
    expect(config.timeZone).toBe("Europe/Berlin");
    expect(config.limits.conversationsPerIpPerHour).toBe(500);
  });

  test("every limit is read from its own variable", () => {
    const entries = Object.entries(LIMIT_VARIABLES);
    // A distinct value per variable, so that two limits reading one variable would show.
    const env = Object.fromEntries(entries.map(([, v], i) => [v.env, String(1000 + i)]));
    const limits = parseConfig(env).limits;
    expect(limits).toEqual(Object.fromEntries(entries.map(([name], i) => [name, 1000 + i])) as typeof limits);
    expect(new Set(entries.map(([, v]) => v.env)).size).toBe(entries.length);
  });

  test("the limits take whole numbers from 1 to 1000000", () => {
    expect(parseConfig({ MESSAGES_PER_IP_PER_MINUTE: "1" }).limits.messagesPerIpPerMinute).toBe(1);
    expect(parseConfig({ OPEN_WIDGET_SOCKETS_PER_IP: "1000000" }).limits.openWidgetSocketsPerIp).toBe(1_000_000);
  });

  test("a size in bytes goes past a million, up to its own maximum", () => {
    expect(parseConfig({ INBOUND_EMAIL_MAX_BYTES: "104857600" }).limits.inboundEmailMaxBytes).toBe(104_857_600);
  });

  for (const variable of Object.values(LIMIT_VARIABLES)) {
    const { env: name } = variable;
    const max = "max" in variable ? variable.max : 1_000_000;
    test(`${name}: 0, a fraction, a negative number, words and ${max + 1} are refused with one line naming it`, () => {
      for (const raw of ["0", "2.5", "-3", "many", String(max + 1), "1e3"]) {
        expect(() => parseConfig({ [name]: raw })).toThrow(`${name} must be a whole number from 1 to ${max} (got ${JSON.stringify(raw)})`);
      }
    });
  }

  test("--help and the README's configuration table list every variable", () => {
    const names = CONFIG_HELP.map(([name]) => name);
    for (const { env } of Object.values(LIMIT_VARIABLES)) expect(names).toContain(env);
    const readme = readFileSync(join(import.meta.dir, "..", "README.md"), "utf8");
    const start = readme.indexOf("## Configuration");
    const table = readme.slice(start, readme.indexOf("\n## ", start));
    // A row may name several variables ("`ADMIN_EMAIL`, `ADMIN_PASSWORD`"); each is in its first cell.
    const rowNames = [...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((n) => n[1]));
    for (const name of names) expect(rowNames).toContain(name);
  });

  test("PUBLIC_URL defaults to the configured port", () => {
    expect(parseConfig({ PORT: "4000" }).publicUrl.origin).toBe("http://localhost:4000");
  });

  test("empty values count as unset", () => {
    expect(parseConfig({ PORT: "", DATABASE_URL: " " }).databaseUrl).toBeNull();
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ["PORT that is not a number", { PORT: "abc" }, /^PORT must be an integer from 0 to 65535 \(got "abc"\)$/],
    ["PORT out of range", { PORT: "70000" }, /^PORT must be an integer/],
    ["HOST with a path", { HOST: "a/b" }, /^HOST must be/],
    ["PUBLIC_URL without a scheme", { PUBLIC_URL: "support.example.com" }, /^PUBLIC_URL must be a URL starting with http: or https:/],
    ["PUBLIC_URL with a path", { PUBLIC_URL: "https://x.example/app" }, /^PUBLIC_URL must be an origin without a path/],
    ["DATABASE_URL of another kind", { DATABASE_URL: "mysql://db/x" }, /^DATABASE_URL must be a URL starting with postgres: or postgresql:/],
    ["REDIS_URL of another kind", { REDIS_URL: "http://cache", SESSION_SECRET: "s".repeat(32) }, /^REDIS_URL must be a URL starting with redis: or rediss:/],
    ["a short SESSION_SECRET", { SESSION_SECRET: "short" }, /^SESSION_SECRET must be at least 32 characters long \(got 5\)/],
    ["REDIS_URL without SESSION_SECRET", { REDIS_URL: "redis://cache" }, /^SESSION_SECRET must be set when REDIS_URL is set/],
    ["ADMIN_EMAIL alone", { ADMIN_EMAIL: "a@b.c" }, /^ADMIN_PASSWORD must be set when ADMIN_EMAIL is set$/],
    ["ADMIN_PASSWORD alone", { ADMIN_PASSWORD: "12345678" }, /^ADMIN_EMAIL must be set when ADMIN_PASSWORD is set$/],
    ["a malformed ADMIN_EMAIL", { ADMIN_EMAIL: "nobody", ADMIN_PASSWORD: "12345678" }, /^ADMIN_EMAIL must be an email address/],
    ["a short ADMIN_PASSWORD", { ADMIN_EMAIL: "a@b.c", ADMIN_PASSWORD: "short" }, /^ADMIN_PASSWORD must be at least 8 characters long$/],
    ["an unknown LOG_LEVEL", { LOG_LEVEL: "verbose" }, /^LOG_LEVEL must be one of debug, info, warn, error \(got "verbose"\)$/],
    ["an unknown LOG_FORMAT", { LOG_FORMAT: "xml" }, /^LOG_FORMAT must be one of pretty, json \(got "xml"\)$/],
    ["an unknown TIME_ZONE", { TIME_ZONE: "Mars/Olympus" }, /^TIME_ZONE must be an IANA time zone name like "Europe\/Berlin" or "UTC" \(got "Mars\/Olympus"\)$/],
    // PostgreSQL would read "+01:00" as one hour west of UTC, Intl as one hour east.
    ["a TIME_ZONE given as an offset", { TIME_ZONE: "+01:00" }, /^TIME_ZONE must be an IANA time zone name/],
    ["CONVERSATIONS_PER_IP_PER_HOUR of 0", { CONVERSATIONS_PER_IP_PER_HOUR: "0" }, /^CONVERSATIONS_PER_IP_PER_HOUR must be a whole number from 1 to 1000000 \(got "0"\)$/],
    ["CONVERSATIONS_PER_IP_PER_HOUR as a fraction", { CONVERSATIONS_PER_IP_PER_HOUR: "2.5" }, /^CONVERSATIONS_PER_IP_PER_HOUR must be a whole number/],
    ["CONVERSATIONS_PER_IP_PER_HOUR as words", { CONVERSATIONS_PER_IP_PER_HOUR: "many" }, /^CONVERSATIONS_PER_IP_PER_HOUR must be a whole number/],
  ];
  for (const [what, env, message] of bad) {
    test(`${what} is refused with a message naming the variable`, () => {
      expect(() => parseConfig(env)).toThrow(message);
    });
  }

  test("a rejected password is never echoed", () => {
    expect(() => parseConfig({ ADMIN_EMAIL: "a@b.c", ADMIN_PASSWORD: "hunter2" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("hunter2") }),
    );
  });

  test("the process stops with one line naming the bad variable", () => {
    const proc = Bun.spawnSync([process.execPath, join(import.meta.dir, "main.ts")], {
      env: { PATH: process.env.PATH ?? "", LOG_FORMAT: "yaml" },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(proc.exitCode).toBe(1);
    const stderr = proc.stderr.toString().trim();
    expect(stderr).toBe('supportdesk: LOG_FORMAT must be one of pretty, json (got "yaml")');
    expect(proc.stdout.toString()).toBe("");
  });
});
