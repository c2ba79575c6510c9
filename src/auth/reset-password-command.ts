// `supportdesk reset-password <email>`: for whoever runs the server when nobody can reset a
// password from Settings (the only admin forgot theirs, and no SMTP). It prints a one-time link.
import { findAgentByEmail } from "../agents/queries.ts";
import type { Config } from "../config.ts";
import { migrate } from "../db/migrate.ts";
import { openDatabase } from "../db/open-database.ts";
import { createResetLink, RESET_LINK_LIFETIME_MS } from "./password-reset.ts";

export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/** Returns the exit code: 0 with the link printed, 1 when there is no such active agent. */
export async function resetPasswordCommand(config: Config, email: string, io: CommandOutput): Promise<number> {
  // With the embedded database this takes the data directory's lock: the server must be stopped.
  const database = await openDatabase(config);
  try {
    // The same schema the server would bring it to: an upgraded binary may run this before its first start.
    await migrate(database);
    const agent = await findAgentByEmail(database.db, email.trim());
    if (!agent) {
      io.err(`supportdesk: no agent has the address ${email}`);
      return 1;
    }
    if (agent.deactivatedAt) {
      io.err(`supportdesk: ${agent.email} is deactivated; an admin can reactivate them in Settings → Agents`);
      return 1;
    }
    const link = await createResetLink({ db: database.db, publicUrl: config.publicUrl }, agent.id, RESET_LINK_LIFETIME_MS);
    io.out(`A link for ${agent.email} to choose a new password (it works once, for 1 hour):`);
    io.out(link);
    io.out("Start SupportDesk if it is stopped, and open the link. Using it signs them out everywhere.");
    return 0;
  } finally {
    await database.close();
  }
}
