// Files: what the customer attaches (the paperclip, a paste, a drop) goes to uploads.js; an expired
// link is renewed by file-links.js. Both are fetched on first use.
import { chat } from "./chat-state.js";

export const uploads = () => import("./uploads.js");
const links = () => import("./file-links.js");

/** Whether a signed link's time (`e`, unix seconds) is up, or will be within half a minute. */
export function expired(url, now = Date.now()) {
  const e = +new URL(url, location.href).searchParams.get("e");
  return e > 0 && e * 1000 < now + 30000;
}

function attach(list) {
  const files = [...list];
  uploads().then((module) => module.add(files));
}

export const fileActions = {
  chooseFiles: () => document.getElementById("sd-file").click(),
  picked({ target }) {
    attach(target.files);
    target.value = ""; // the same file chosen again is a change again
  },
  paste(event) {
    if (!event.clipboardData?.files.length) return;
    event.preventDefault();
    attach(event.clipboardData.files);
  },
  dragOver(event) {
    if (!event.dataTransfer?.types.includes("Files") || chat.fatal) return;
    event.preventDefault(); // this makes the chat a drop target
    chat.dropping = true;
  },
  dragLeave(event) {
    if (!event.currentTarget.contains(event.relatedTarget)) chat.dropping = false;
  },
  drop(event) {
    chat.dropping = false;
    if (!event.dataTransfer?.files.length) return;
    event.preventDefault();
    attach(event.dataTransfer.files);
  },
  removeFile: (key) => uploads().then((module) => module.drop(key)),
  /** A file's link: followed while it is valid, else opened once a new one came. */
  openFile(event, file) {
    if (!expired(file.url)) return;
    event.preventDefault();
    links().then((module) => module.open(file));
  },
  imageFailed: (file) => links().then((module) => module.renew(file)),
};
