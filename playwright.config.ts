import { defineConfig } from "@playwright/test";

// Browser tests drive Debian's Chromium (Playwright's own browser downloads are not available
// here) against the compiled binary, started in an empty directory like a new user would.
const PORT = Number(process.env.E2E_PORT ?? 3111);

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.e2e.ts",
  fullyParallel: false,
  workers: 1,
  // On CI a test that fails is run once more and, if it then passes, reported as "flaky": that is
  // a bug to chase (the report names it), but one that must not throw away a whole run's work.
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  reporter: process.env.CI ? "list" : "line",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // Without these, Chromium keeps dialling Google's services, which this network refuses.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "bash e2e/start-binary.sh",
    url: `http://127.0.0.1:${PORT}/health`,
    env: { PORT: String(PORT), HOST: "127.0.0.1", PUBLIC_URL: `http://127.0.0.1:${PORT}` },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
