/** What the per-IP limits need of Bun's server. */
export interface IpSource {
  requestIP(request: Request): { address: string } | null;
}

/**
 * The client's address. Behind a proxy (TRUST_PROXY=true) it is the last X-Forwarded-For entry:
 * the one our own proxy appended; earlier entries are whatever the client chose to send.
 */
export function clientIp(request: Request, server: IpSource | null | undefined, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = request.headers.get("x-forwarded-for");
    const last = forwarded?.split(",").at(-1)?.trim();
    if (last) return last;
  }
  return server?.requestIP(request)?.address ?? null;
}
