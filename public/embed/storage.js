// The visitor's state between page loads (token, outbox, what was read, mute, the away email). It
// lives in this frame's localStorage when the browser gives a third-party frame one. When it
// refuses, the loader keeps it in the host page's storage, first-party there (as Intercom keeps its
// session cookie): it arrives with `boot` (adopt), and each change goes back with `store`.
import { config } from "./config.js";
import { tellHost } from "./host-bridge.js";

const prefix = `sd:${config.publicKey}:`;
const KEYS = ["token", "outbox", "lastRead", "conv", "muted", "away"];
const MAX_CHARS = 256 * 1024; // a longer value is not stored: this page load keeps it
const attempt = (fn, fallback) => { try { return fn(); } catch { return fallback; } };
const ownStorage = attempt(() => (localStorage.setItem(`${prefix}probe`, "1"), localStorage.removeItem(`${prefix}probe`), true), false);
let hostCopy = {};

export function load(key, fallback) {
  if (!ownStorage) return Object.hasOwn(hostCopy, key) ? hostCopy[key] : fallback;
  return attempt(() => JSON.parse(localStorage.getItem(prefix + key)) ?? fallback, fallback);
}

export function save(key, value) {
  const json = JSON.stringify(value);
  if (ownStorage) return json.length <= MAX_CHARS && attempt(() => localStorage.setItem(prefix + key, json));
  hostCopy[key] = value;
  if (JSON.stringify(hostCopy).length <= MAX_CHARS) tellHost("store", { data: hostCopy });
}

/** Takes what the loader kept for us (only known keys) when this frame has no storage of its own; returns whether it did. */
export function adopt(copy) {
  if (ownStorage || !copy || typeof copy !== "object") return false;
  hostCopy = Object.fromEntries(KEYS.filter((key) => Object.hasOwn(copy, key)).map((key) => [key, copy[key]]));
  return true;
}

/** Forgets the visitor (the loader forgets its copy itself). */
export function forget() {
  hostCopy = {};
  if (ownStorage) for (const key of KEYS) localStorage.removeItem(prefix + key);
}
