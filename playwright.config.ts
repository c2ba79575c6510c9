import { defineConfig } from "@playwright/test";

// Browser tests drive Debian's Chromium (Playwright's own browser downloads are not available
// here) against the compiled binary, started in an empty directory like a new user would.
const PORT = Number(process.env.E2E_PORT ?? 3111);

export default defineConfig({
  testDir: "./e2e",
  // A new install's first page (/setup) can only be seen before any spec signs in, which makes the
  // first admin: first-run.e2e.ts runs first, whatever the other specs are named.
  projects: [
    { name: "first-run", testMatch: "first-run.e2e.ts" },
    { name: "app", testMatch: "**/*.e2e.ts", testIgnore: "first-run.e2e.ts", dependencies: ["first-run"] },
  ],
  fullyParallel: false,
  workers: 1,
  // No retries, on CI either: a test that passes only the second time is a bug, and a retry would
  // hide it (issue 13: tests that cannot pass by luck).
  retries: 0,
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
        // One renderer process for every frame. With site isolation the widget's cross-site
        // iframe is a process of its own, and headless Chromium then sometimes routes synthetic
        // keyboard input (fill, press) to another frame of the page: the focused field never
        // receives it (traced: the field has focus, execCommand in the frame works, key events
        // and insertText do not arrive). Origins, postMessage checks and storage partitioning
        // are unchanged by this; only the process layout is.
        "--disable-site-isolation-trials",
        "--disable-features=IsolateOrigins,site-per-process",
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
