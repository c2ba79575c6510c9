// An agent replying over HTTP (the reply form's POST) at a steady rate to a set of conversations,
// round robin, until stopped: the messages a reconnect storm must deliver to the customers.

export interface ReplyStream {
  /** Stops sending and resolves once every request under way has answered. */
  stop(): Promise<{ sent: number; stored: number; failed: number; failures: Record<string, number> }>;
}

export function replyStream(origin: string, cookie: string, conversations: string[], perSecond: number, inFlightCap = 32): ReplyStream {
  let sent = 0;
  let stored = 0;
  let failed = 0;
  let inFlight = 0;
  let stopped = false;
  const failures: Record<string, number> = {};
  const pending = new Set<Promise<void>>();
  const start = performance.now();

  async function reply(n: number) {
    const id = conversations[n % conversations.length]!;
    const body = new URLSearchParams({ body: `storm reply ${n}`, clientId: crypto.randomUUID() }).toString();
    try {
      const res = await fetch(`${origin}/inbox/c/${id}/messages`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin, cookie },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
      if (res.status === 201) stored++;
      else {
        failed++;
        failures[String(res.status)] = (failures[String(res.status)] ?? 0) + 1;
      }
    } catch (err) {
      failed++;
      const name = err instanceof Error ? err.name : "error";
      failures[name] = (failures[name] ?? 0) + 1;
    }
  }

  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - start) / 1000) * perSecond);
    // Past the cap the sender falls behind rather than piling requests onto a busy instance.
    while (!stopped && sent < due && inFlight < inFlightCap) {
      inFlight++;
      const p = reply(sent++).finally(() => {
        inFlight--;
        pending.delete(p);
      });
      pending.add(p);
    }
  }, 5);

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all(pending);
      return { sent, stored, failed, failures };
    },
  };
}
