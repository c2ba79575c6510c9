import { Elysia } from "elysia";

/**
 * Browser features no page of ours uses, denied to every document we serve (and to frames inside
 * it). Only names Chromium knows: an unknown one costs a console error on every page. Kept:
 * clipboard-write (the settings' "Copy snippet"), autoplay (the new-message sound), at their
 * default, same-origin allowance.
 */
const DENIED_FEATURES = [
  "accelerometer",
  "browsing-topics",
  "camera",
  "display-capture",
  "encrypted-media",
  "fullscreen",
  "geolocation",
  "gyroscope",
  "hid",
  "idle-detection",
  "local-fonts",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "picture-in-picture",
  "publickey-credentials-get",
  "screen-wake-lock",
  "serial",
  "usb",
  "xr-spatial-tracking",
] as const;

export const PERMISSIONS_POLICY = DENIED_FEATURES.map((feature) => `${feature}=()`).join(", ");

/** A year, subdomains included (no `preload`: joining that list is the operator's choice). Browsers only honour it over https. */
export const HSTS = "max-age=31536000; includeSubDomains";

/**
 * Where our pages' scripts may connect: this origin, and its WebSocket twin. CSP Level 3 lets
 * 'self' match ws:/wss: of the page's own host (Chromium does), but older Safari does not: the
 * explicit source costs nothing.
 */
function connectSources(publicUrl: URL): string {
  const ws = `${publicUrl.protocol === "https:" ? "wss" : "ws"}://${publicUrl.host}`;
  return `'self' ${ws}`;
}

const policy = (directives: string[]) => directives.join("; ");

/**
 * Every page but the widget's: our own files only, nothing inline (no script, no style
 * attribute, no eval: Alpine runs as its CSP build, htmx has no hx-on here), never framed.
 */
export function agentContentSecurityPolicy(publicUrl: URL): string {
  return policy([
    "default-src 'self'",
    `connect-src ${connectSources(publicUrl)}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ]);
}

/**
 * The widget's iframe page: framed only by `frameAncestors` (the inbox's websites), its own files
 * only, nothing inline, no eval, and no form that posts anywhere (its forms are handled by script).
 */
export function widgetContentSecurityPolicy(publicUrl: URL, frameAncestors: string): string {
  return policy([
    `frame-ancestors ${frameAncestors}`,
    "default-src 'self'",
    `connect-src ${connectSources(publicUrl)}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ]);
}

/** The headers every response starts with; a route may replace its CSP (the widget page does). */
export function securityHeaders(publicUrl: URL): Record<string, string> {
  return {
    "content-security-policy": agentContentSecurityPolicy(publicUrl),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "permissions-policy": PERMISSIONS_POLICY,
    // Only when the public address is https: over http the header is ignored at best, and a
    // deployment that is http today must not be locked out of http by a mistake of ours.
    ...(publicUrl.protocol === "https:" ? { "strict-transport-security": HSTS } : {}),
  };
}

/**
 * Sets the security headers on every response: pages, fragments, JSON, files, redirects and
 * error answers. A request hook, not afterHandle: afterHandle does not run when a route throws
 * or none matches, while `set.headers` filled here is what Elysia builds every response from,
 * the error handler's too (a Response a handler returns keeps its own values and gains these).
 * Request hooks run for every route of the app; register this one first, so that it has run
 * before any other request hook answers early (a refusal, a rate limit).
 */
export function securityHeadersPlugin(publicUrl: URL) {
  const headers = securityHeaders(publicUrl);
  return new Elysia({ name: "http.security-headers", seed: publicUrl.href }).onRequest(({ set }) => {
    Object.assign(set.headers, headers);
  });
}
