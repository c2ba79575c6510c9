/**
 * Resolves once `check` holds, polling every 10 ms; fails naming `what` after `timeoutMs`. For
 * state the server changes on its own schedule with no frame to wait for (a close handler ran,
 * a registry emptied): the test waits for the state itself, never for a fixed time.
 */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await Bun.sleep(10);
  }
}
