// A push to a list page that may change which rows it shows or their order. Rows already on the
// page are swapped in place by htmx (`content`, out-of-band by id); `stale` names the list, which
// then asks the server for itself again (public/live.js fires `list-stale` on `[data-list=...]`,
// and the list's `hx-get` with `hx-trigger="list-stale throttle:1s"` answers it). The browser
// never decides where a row goes.

/** The lists that refresh themselves: the inbox's conversations, the tickets. */
export type ListName = "inbox" | "tickets";

/** One frame: the rows (HTML, may be empty) and the name of the list that is now stale. */
export function listPush(list: ListName, rowsHtml = ""): string {
  return JSON.stringify(rowsHtml ? { content: rowsHtml, stale: list } : { stale: list });
}
