// A WebSocket client for tests: keeps every frame, waits for the one a test expects.

export interface TestSocket {
  /** Every text frame received, in order. */
  frames: string[];
  /** The frames parsed as JSON (widget socket); non-JSON frames are skipped. */
  json(): Array<Record<string, any>>;
  send(frame: unknown): void;
  sendRaw(text: string): void;
  /** Resolves with the first frame (from `from` on) that matches, or rejects after `timeoutMs`. */
  waitFor(match: (frame: string) => boolean, timeoutMs?: number, from?: number): Promise<string>;
  waitForJson(match: (frame: Record<string, any>) => boolean, timeoutMs?: number, from?: number): Promise<Record<string, any>>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export async function openSocket(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  const ws = new WebSocket(url, { headers } as unknown as string[]);
  const frames: string[] = [];
  const waiters = new Set<() => void>();
  ws.onmessage = (e) => {
    frames.push(String(e.data));
    for (const wake of waiters) wake();
  };
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.onclose = (e) => {
      resolve({ code: e.code, reason: e.reason });
      for (const wake of waiters) wake();
    };
  });
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`could not connect to ${url}`));
  });
  const parse = (f: string) => {
    try {
      return JSON.parse(f) as Record<string, any>;
    } catch {
      return null;
    }
  };
  const socket: TestSocket = {
    frames,
    json: () => frames.map(parse).filter((f): f is Record<string, any> => f !== null),
    send: (frame) => ws.send(JSON.stringify(frame)),
    sendRaw: (text) => ws.send(text),
    waitFor(match, timeoutMs = 5000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = frames.slice(from).find(match);
          if (found === undefined) return false;
          cleanup();
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching frame within ${timeoutMs} ms; got:\n${frames.join("\n")}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        const wake = () => void check();
        waiters.add(wake);
        check();
      });
    },
    async waitForJson(match, timeoutMs, from) {
      return parse(await socket.waitFor((f) => {
        const parsed = parse(f);
        return parsed !== null && match(parsed);
      }, timeoutMs, from))!;
    },
    closed,
    close: () => ws.close(),
  };
  return socket;
}
