// The visitor's state between page loads, read into memory at start: in this frame's localStorage, or,
// when the browser refuses a third-party frame one, in the host page's, first-party there (as Intercom
// keeps its cookie) and kept by the loader: it arrives with `boot` (adopt), changes go back with `store`.
import { config, tellHost } from "./config.js";

// The hosted chat page (/chat/{link}) keeps its customer's state apart, and never their token: it
// comes with each page load, and on a shared computer must not outlive the page.
const hosted = config.session?.contact.id;
const prefix = hosted ? `sd:chat:${hosted}:` : `sd:${config.publicKey}:`;
const KEYS = ["token", "outbox", "lastRead", "conv", "with", "muted", "away"].filter((key) => !(hosted && key === "token"));
const MAX_CHARS = 256 * 1024; // longer is not stored (the host page's storage is the site's): this page load keeps it
const attempt = (fn, fallback) => { try { return fn(); } catch { return fallback; } };
const local = attempt(() => (localStorage.setItem(`${prefix}probe`, "1"), localStorage.removeItem(`${prefix}probe`), localStorage), null);
let values = local ? Object.fromEntries(KEYS.map((key) => [key, attempt(() => JSON.parse(local.getItem(prefix + key)))])) : {};

export const load = (key, fallback) => values[key] ?? fallback;

export function save(key, value) {
  values[key] = value;
  const json = JSON.stringify(local ? value : values);
  if (json.length > MAX_CHARS) return;
  if (!local) tellHost("store", { data: values });
  else if (KEYS.includes(key)) attempt(() => local.setItem(prefix + key, json));
}

/** Takes what the loader kept for us, when this frame has no storage of its own; returns whether it did. */
export function adopt(copy) {
  if (local || !copy || typeof copy !== "object") return false;
  values = copy;
  return true;
}

/** Forgets the visitor (the loader forgets its copy itself). */
export function forget() {
  values = {};
  for (const key of KEYS) local?.removeItem(prefix + key);
}
