// A file's signed link lasts an hour (docs/widget-protocol.md, "Files"). One clicked past its time,
// or an image that did not load, gets a new link; the file in the chat's state keeps it, so the
// page shows it. Loaded on first use (files.js).
import { request } from "./connection.js";

const renewedAt = new Map(); // by file id: an image that keeps failing is renewed once a minute at most, not in a loop

const renewed = (file) => request("GET", `/api/v1/widget/files/${encodeURIComponent(file.id)}/link`).then((answer) => (file.url = answer.url), () => null);

export async function open(file) {
  const url = await renewed(file);
  if (url) window.open(url, "_blank", "noopener");
}

export function renew(file) {
  if (Date.now() - (renewedAt.get(file.id) ?? 0) < 60000) return;
  renewedAt.set(file.id, Date.now());
  renewed(file);
}
