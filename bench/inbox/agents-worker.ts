// The inbox bench's agents, in a worker process of their own: each signs in, then loads pages
// (the inbox's tabs, whole conversations) in a closed loop, optionally holding its inbox socket.
import { dist, LagMeter, now } from "../support/stats.ts";
import { openSocket, run, serve, type Msg } from "../support/workers.ts";

export type Route = "/inbox" | "/inbox/c/:id";

export interface AgentPlan {
  email: string;
  password: string;
  ip: string;
  /** Open conversations assigned to this agent. */
  mine: string[];
}

export async function agentsWorker() {
  const lag = new LagMeter();
  let agents: (AgentPlan & { cookie: string })[] = [];
  let sockets: WebSocket[] = [];
  let frames = 0;
  let frameBytes = 0;

  serve({
    async connect({ base, plans, withSockets }: Msg) {
      const origin = base as string;
      agents = await Promise.all(
        (plans as AgentPlan[]).map(async (plan) => {
          // A real sign-in: the login form, its throttle, Bun.password.verify, a session row.
          const res = await fetch(`${origin}/login`, {
            method: "POST",
            redirect: "manual",
            headers: { "content-type": "application/x-www-form-urlencoded", origin, "x-forwarded-for": plan.ip },
            body: new URLSearchParams({ email: plan.email, password: plan.password }).toString(),
          });
          const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("sd_session="));
          if (!cookie) throw new Error(`login of ${plan.email} failed: ${res.status} ${await res.text()}`);
          return { ...plan, cookie };
        }),
      );
      if (withSockets) {
        const url = `${origin.replace("http", "ws")}/ws/inbox`;
        sockets = await Promise.all(
          agents.map((a) =>
            openSocket(url, { cookie: a.cookie, origin, "x-forwarded-for": a.ip }, (data) => {
              frames++;
              frameBytes += Buffer.byteLength(data);
            }),
          ),
        );
        // The inbox page's socket follows the inbox list (a server before the follow frame ignores it).
        for (const ws of sockets) ws.send(JSON.stringify({ type: "follow", page: "inbox" }));
      }
      return { signedIn: agents.length };
    },
    async run({ base, seconds, thinkMs, open, closed }: Msg) {
      const openIds = open as string[];
      const closedIds = closed as string[];
      const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
      const latency: Record<Route, number[]> = { "/inbox": [], "/inbox/c/:id": [] };
      const statuses: Record<string, number> = {};
      const failures: Record<string, number> = {};
      const tabs: Record<string, number> = {};
      let bytes = 0;
      frames = 0;
      frameBytes = 0;
      lag.take();
      const started = now();
      const deadline = started + seconds * 1000;

      /** What an agent does next: the list (a tab) 40% of the time, a conversation 60%, mostly an open one. */
      function nextRequest(agent: AgentPlan): { route: Route; path: string } {
        if (Math.random() < 0.4) {
          const r = Math.random();
          const tab = r < 0.45 ? "open" : r < 0.7 ? "mine" : r < 0.9 ? "queue" : "closed";
          tabs[tab] = (tabs[tab] ?? 0) + 1;
          // The default tab is what a bare /inbox shows; the others come from the tab links.
          return { route: "/inbox", path: tab === "open" && Math.random() < 0.5 ? "/inbox" : `/inbox?tab=${tab}` };
        }
        const r = Math.random();
        const id = r < 0.45 && agent.mine.length ? pick(agent.mine) : r < 0.85 ? pick(openIds) : pick(closedIds);
        return { route: "/inbox/c/:id", path: `/inbox/c/${id}` };
      }

      await Promise.all(
        agents.map(async (agent) => {
          // Agents start spread over one pause, not all in the same millisecond.
          if (thinkMs > 0) await Bun.sleep(Math.random() * thinkMs);
          while (now() < deadline) {
            const { route, path } = nextRequest(agent);
            const t = now();
            try {
              const res = await fetch(`${base}${path}`, { headers: { cookie: agent.cookie, "x-forwarded-for": agent.ip }, redirect: "manual" });
              const body = await res.text();
              const ms = now() - t;
              bytes += body.length;
              statuses[`${route} ${res.status}`] = (statuses[`${route} ${res.status}`] ?? 0) + 1;
              if (res.status === 200) latency[route].push(ms);
            } catch (err) {
              const key = `${route} ${err instanceof Error ? err.message.slice(0, 60) : String(err)}`;
              failures[key] = (failures[key] ?? 0) + 1;
            }
            if (thinkMs > 0) await Bun.sleep(thinkMs * (0.5 + Math.random()));
          }
        }),
      );
      const elapsed = (now() - started) / 1000;
      return {
        started,
        ended: now(),
        elapsed,
        latency: { "/inbox": dist(latency["/inbox"]), "/inbox/c/:id": dist(latency["/inbox/c/:id"]) },
        statuses,
        failures,
        tabs,
        bytes,
        frames,
        frameBytes,
        sockets: sockets.length,
        lag: lag.take(),
      };
    },
    close() {
      run.closing = true;
      for (const ws of sockets) ws.close();
      lag.stop();
      return {};
    },
  });
}
