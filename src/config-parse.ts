// The parsing every configuration variable shares: read one (empty is unset), refuse it with the
// one line an operator sees (the variable, what it expects and what it got).

export class ConfigError extends Error {
  override name = "ConfigError";
}

export type Env = Record<string, string | undefined>;

export function fail(name: string, expects: string, got: string): never {
  throw new ConfigError(`${name} must be ${expects} (got ${JSON.stringify(got)})`);
}

/** Empty strings count as unset: `FOO=` in a compose file should not mean "the empty value". */
export function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function parseUrl(name: string, raw: string, protocols: string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(name, `a URL starting with ${protocols.join(" or ")}`, raw);
  }
  if (!protocols.includes(url.protocol)) fail(name, `a URL starting with ${protocols.join(" or ")}`, raw);
  return url;
}

export function parseEnum<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) fail(name, `one of ${allowed.join(", ")}`, raw);
  return raw as T;
}

/** A whole number from `min` to `max`, or `fallback` when unset. */
export function parseCount(name: string, raw: string | undefined, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(name, `a whole number from ${min} to ${max}`, raw);
  }
  return value;
}

/** The shortest secret taken (SESSION_SECRET, INBOUND_EMAIL_SECRET): 32 characters. */
export const MIN_SESSION_SECRET_LENGTH = 32;
