// Where email meets the running app: the job kinds that send it are registered, and the inbound
// SMTP listener (when SMTP_INBOUND_PORT is set) is started. boot.ts and the test app call this once
// the AppContext exists (the handlers need its secret and mailer) and before the job worker starts.
import type { AppContext } from "../app-context.ts";
import { wireAgentEmails } from "./agent-email-wiring.ts";

export interface EmailWiring {
  /** Stops the inbound listener, if one runs. */
  close(): Promise<void>;
}

export async function wireEmail(ctx: AppContext): Promise<EmailWiring> {
  const closers: Array<() => Promise<void>> = [];
  // Each email kind registers its job handler here (one line each).
  wireAgentEmails(ctx);
  return {
    async close() {
      for (const close of closers) await close();
    },
  };
}
