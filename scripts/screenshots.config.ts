import { defineConfig } from "@playwright/test";
import suite from "../playwright.config.ts";

// `npm run screenshots`: not a test. It starts dist/supportdesk in an empty directory on a port of
// its own (SCREENSHOTS_PORT), fills it with a small shop's day and writes docs/screenshots/*.png.
const PORT = Number(process.env.SCREENSHOTS_PORT ?? 3190);

export default defineConfig({
  testDir: ".",
  testMatch: "screenshots.shots.ts",
  outputDir: "../test-results/screenshots",
  workers: 1,
  retries: 0,
  timeout: 180_000,
  reporter: "line",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    // Chromium as the browser tests start it (Debian's, without Google's background services).
    launchOptions: suite.use?.launchOptions,
    deviceScaleFactor: 1,
  },
  webServer: {
    command: "bash ../e2e/start-binary.sh",
    url: `http://127.0.0.1:${PORT}/health`,
    env: { PORT: String(PORT), HOST: "127.0.0.1", PUBLIC_URL: `http://127.0.0.1:${PORT}`, LOG_LEVEL: "warn" },
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
