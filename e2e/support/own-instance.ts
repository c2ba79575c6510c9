import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The port the suite's server listens on (playwright.config.ts); other servers of a run sit above it. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3111);

/**
 * A SupportDesk of a test's own: dist/supportdesk in a new, empty directory (e2e/start-binary.sh),
 * for a test that must see a new install (/setup) whatever the suite's server has been through,
 * or that needs settings of its own (`env`: an SMTP server, say).
 */
export async function startOwnInstance(port: number, env: Record<string, string> = {}) {
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const child = spawn("bash", [fileURLToPath(new URL("../start-binary.sh", import.meta.url))], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: url, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (chunk) => output.push(String(chunk)));
  child.stderr.on("data", (chunk) => output.push(String(chunk)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`SupportDesk on ${port} exited with ${child.exitCode}: ${output.join("")}`);
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`SupportDesk on ${port} did not start: ${output.join("")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
