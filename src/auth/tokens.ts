import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** An unguessable token for cookies and links: 256 bits, URL-safe. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** What the database keeps instead of a token: useless without the server's secret. */
export function hmacHex(secret: string, value: string): string {
  return createHmac("sha256", secret).update(value).digest("hex");
}

/** Compares secrets without leaking through timing how many leading characters matched. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether an `Authorization: Bearer …` header carries `secret`; digests of equal length, so the comparison takes the same time whatever was sent. */
export function bearerMatches(header: string | null, secret: string): boolean {
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(token), digest(secret));
}

/** What the database keeps of a link's token (invites, password resets): a plain hash suffices for 256 random bits. */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
