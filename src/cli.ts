import { CONFIG_HELP } from "./config.ts";
import { VERSION } from "./version.ts";

export type Command =
  | { kind: "serve" }
  | { kind: "print"; text: string }
  | { kind: "usage-error"; text: string }
  /** Prints a one-time link to choose a new password (src/auth/reset-password-command.ts). */
  | { kind: "reset-password"; email: string };

export function helpText(): string {
  const width = Math.max(...CONFIG_HELP.map(([name]) => name.length));
  return [
    `SupportDesk ${VERSION}: live customer-support chat, one executable.`,
    "",
    "Usage: supportdesk [--help | --version]",
    "       supportdesk reset-password <email>   print a one-time link to choose a new password (stop the server first",
    "                                            when it runs on the embedded database)",
    "",
    "With no option it starts the server, configured by these environment variables:",
    ...CONFIG_HELP.map(([name, meaning]) => `  ${name.padEnd(width)}  ${meaning}`),
    "",
    "Open PUBLIC_URL in a browser: the first visit creates the admin account.",
  ].join("\n");
}

export function parseArgs(args: string[]): Command {
  const [first, ...rest] = args;
  if (first === undefined) return { kind: "serve" };
  if (rest.length === 0 && (first === "--version" || first === "-v")) return { kind: "print", text: `supportdesk ${VERSION}` };
  if (rest.length === 0 && (first === "--help" || first === "-h")) return { kind: "print", text: helpText() };
  if (first === "reset-password") {
    if (rest.length === 1 && rest[0]!.includes("@")) return { kind: "reset-password", email: rest[0]! };
    return { kind: "usage-error", text: "supportdesk: usage: supportdesk reset-password <email>" };
  }
  return { kind: "usage-error", text: `supportdesk: unknown argument ${JSON.stringify(first)}; try --help` };
}
