// The delivery bench's agents (issue 15, "frames and bytes per agent socket per customer message
// with 100 agents online"): one agent per conversation, each signed in on B, each with its own
// conversation open and its inbox list on a tab, as a team works: by default half on Mine, a
// quarter on Queue, a quarter on All open (BENCH_INBOX_TABS, "tab:weight,..."; "none" sends no
// tab, as pages did before the tab was part of the follow frame: every row reaches every page).
import type { Instance } from "../../src/testing/instance-process.ts";
import type { BenchRun } from "../support/bench-run.ts";
import { addresses } from "../support/machine.ts";
import { parallel } from "./setup.ts";

export type BenchTab = "queue" | "mine" | "open" | "closed" | "none";

/** The tabs of the agent sockets, in order: socket i shows tabs[i]. */
export function inboxTabs(count: number, spec = process.env.BENCH_INBOX_TABS ?? "mine:2,queue:1,open:1"): BenchTab[] {
  const weights = spec.split(",").map((part) => {
    const [tab, weight = "1"] = part.split(":") as [BenchTab, string?];
    if (!["queue", "mine", "open", "closed", "none"].includes(tab)) throw new Error(`BENCH_INBOX_TABS: unknown tab ${tab}`);
    return { tab, weight: Number(weight) };
  });
  const cycle = weights.flatMap(({ tab, weight }) => Array.from({ length: weight }, () => tab));
  return Array.from({ length: count }, (_, i) => cycle[i % cycle.length]!);
}

/** "mine 50, queue 25, open 25" */
export function describeTabs(tabs: BenchTab[]): string {
  const counts = new Map<BenchTab, number>();
  for (const tab of tabs) counts.set(tab, (counts.get(tab) ?? 0) + 1);
  return [...counts].map(([tab, n]) => `${tab} ${n}`).join(", ");
}

/**
 * `count` agents besides the admin (with the admin's password, so that their hash is computed
 * once), each signed in on B from an address of its own (the sign-in limits count per address):
 * their session cookies, in order.
 */
export async function signInAgents(run: BenchRun, b: Instance, count: number, password: string): Promise<string[]> {
  const sql = run.sql!;
  await sql`insert into agents (id, email, name, role, password_hash)
    select gen_random_uuid(), 'bench-agent-' || i || '@example.com', 'Agent ' || i, 'agent', (select password_hash from agents where role = 'admin' order by created_at limit 1)
    from generate_series(1, ${count}::int) as i`;
  const ips = addresses(count);
  return parallel(ips, 4, async (ip, i) => {
    const login = await fetch(`${b.origin}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: b.origin, "x-forwarded-for": ip },
      body: new URLSearchParams({ email: `bench-agent-${i + 1}@example.com`, password }).toString(),
    });
    const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("sd_session="));
    if (!cookie) throw new Error(`sign-in of agent ${i + 1} on B failed: ${login.status}`);
    return cookie;
  });
}
