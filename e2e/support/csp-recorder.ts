import type { BrowserContext, ConsoleMessage, Page } from "@playwright/test";

/** Console text that means the browser refused or rejected something of a page's own making. */
const REFUSALS = /Refused to|Content[- ]Security[- ]Policy|Permissions[- ]Policy|Alpine Expression Error|Alpine Warning|EvalError/i;

/**
 * Records what a context's pages break under their policies: every `securitypolicyviolation` in
 * every frame (the widget's cross-site iframe too: init scripts and bindings reach all frames),
 * console messages about refusals or policy headers, and uncaught errors. Install before the
 * context opens a page.
 */
export async function recordPolicyViolations(context: BrowserContext) {
  const found: string[] = [];
  await context.exposeBinding("__sdPolicyViolation", ({ frame }, text: string) => {
    found.push(`${frame.url()}: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener(
      "securitypolicyviolation",
      (e) => {
        const report = (window as unknown as { __sdPolicyViolation?: (text: string) => void }).__sdPolicyViolation;
        report?.(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
      },
      true,
    );
  });
  const watch = (page: Page) => {
    page.on("console", (message: ConsoleMessage) => {
      if (REFUSALS.test(message.text())) found.push(`${page.url()}: console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => found.push(`${page.url()}: uncaught ${error.name}: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  return {
    /** Everything recorded so far. */
    all: () => [...found],
    /** Forgets what was recorded (after a deliberate violation that proves the recorder works). */
    clear: () => void found.splice(0),
  };
}
