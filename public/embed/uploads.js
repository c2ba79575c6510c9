// Files the customer attaches: each uploaded at once (XMLHttpRequest: progress, abort) and shown as
// a chip above the field; on Send, part of the message's outbox entry, which waits for them
// (outbox.js). Their bytes are kept in IndexedDB while the message waits, so that after a reload
// an unfinished upload starts again. Loaded on first use (files.js), apart from the first load.
import { chat } from "./chat-state.js";
import { config, humanSize, say, strings } from "./config.js";
import { start, tokenOf } from "./connection.js";
import { resend } from "./outbox.js";

const RETRIES = 3; // an upload that failed on the way is tried again after 1 s, 3 s and 9 s
const DAY = 864e5;
/** This page load's uploads by the file's local key: { blob, xhr, tries, timer }. */
const jobs = new Map();
/** The outbox entry (a message waiting to be sent) that holds this file, if any. */
const messageWith = (key) => chat.outbox.find((entry) => entry.files?.some((file) => file.key === key));

// IndexedDB: one store of { blob, at } by key; a browser without it loses files only on reload.
let database;
const open = () =>
  (database ||= new Promise((resolve, reject) => {
    const req = indexedDB.open("sd-files", 1);
    req.onupgradeneeded = () => req.result.createObjectStore("files");
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  }));
async function kept(mode, use) {
  const tx = (await open()).transaction("files", mode), req = use(tx.objectStore("files"));
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}
const unkeep = (key) => kept("readwrite", (files) => files.delete(key)).catch(() => {});

/** New files for the next message: refused at once when over the limits, else uploading. */
export function add(blobs) {
  chat.error = "";
  for (const blob of blobs) {
    const name = blob.name || "file";
    if (chat.files.length >= config.maxFiles) return void (chat.error = say("fileCount", { n: config.maxFiles }));
    // The server's limit, from the config: no need to send 11 MB to hear it (the server checks too).
    if (blob.size > config.maxFileBytes) { chat.error = say("fileTooLarge", { name, max: humanSize(config.maxFileBytes) }); continue; }
    const key = crypto.randomUUID();
    jobs.set(key, { blob, tries: 0 });
    chat.files.push({ key, name, size: blob.size, id: null, progress: 0, sizeText: humanSize(blob.size), removeLabel: say("fileRemove", { name }) });
    upload(chat.files.at(-1));
  }
}

/** A chip's remove button: its upload stops. */
export function drop(key) {
  forget([{ key }]);
  chat.files = chat.files.filter((file) => file.key !== key);
}

/** Sent: the bytes still to upload are kept, for a reload. */
export function keep(entry) {
  for (const { key, id } of entry.files) {
    if (!id && jobs.has(key)) kept("readwrite", (files) => files.put({ blob: jobs.get(key).blob, at: Date.now() }, key)).catch(() => {});
  }
}

/** Done with these files (the message was stored, or removed): uploads stop, bytes go. */
export function forget(files) {
  for (const { key } of files) {
    const job = jobs.get(key);
    jobs.delete(key); // first: the aborted request's answer then finds no job
    job?.xhr?.abort();
    clearTimeout(job?.timer);
    unkeep(key);
  }
}

/** The entry's files that have no id yet are uploaded (again): from this page's memory, else IndexedDB. */
export function ensure(entry) {
  for (const file of entry.files) {
    if (file.id || jobs.has(file.key)) { again(file); continue; }
    kept("readonly", (files) => files.get(file.key))
      .then((record) => {
        if (!(record?.blob instanceof Blob)) throw new Error("gone");
        if (!jobs.has(file.key)) jobs.set(file.key, { blob: record.blob, tries: 0 });
        again(file);
      })
      .catch(() => {
        // No IndexedDB here, or the bytes are gone: the customer can retry, or remove the message.
        entry.failed = true;
        chat.error = say("fileLost", { name: file.name });
      });
  }
}

/** Uploads a file now unless it is uploaded or on its way. */
function again(file) {
  const job = jobs.get(file.key);
  if (!job || job.xhr || job.timer || file.id) return;
  job.tries = 0;
  upload(file);
}

/** Uploads the file again in `ms` (not sooner: `again` leaves a waiting file alone). */
function later(file, job, ms) {
  job.timer = setTimeout(() => {
    job.timer = null;
    upload(file);
  }, ms);
}

async function upload(file) {
  const job = jobs.get(file.key);
  await start(); // the visitor's token comes with the session
  if (!job || jobs.get(file.key) !== job || job.xhr || file.id) return;
  const xhr = (job.xhr = new XMLHttpRequest());
  xhr.open("POST", `/api/v1/widget/files?name=${encodeURIComponent(file.name)}`);
  if (tokenOf()) xhr.setRequestHeader("authorization", `Bearer ${tokenOf()}`);
  xhr.upload.onprogress = (event) => (file.progress = event.loaded / (event.total || 1));
  xhr.onload = () => answered(file, job, xhr);
  xhr.onerror = () => failed(file, job);
  file.progress = 0;
  xhr.send(job.blob);
}

function answered(file, job, xhr) {
  job.xhr = null;
  let answer = {};
  try { answer = JSON.parse(xhr.responseText); } catch {}
  if (xhr.status === 201 && answer.file?.id) {
    Object.assign(file, { id: answer.file.id, progress: 1 });
    const entry = messageWith(file.key);
    if (entry) resend(entry);
    return;
  }
  const { code, message, retryAfter } = answer.error || answer;
  if (code === "rate_limited") {
    chat.error = say("errRateLimited", { s: retryAfter || 5 });
    return later(file, job, (retryAfter || 5) * 1000);
  }
  if (xhr.status >= 500 || xhr.status === 401) return failed(file, job); // may work later (401: a new session)
  refuse(file, code === "too_large" ? say("fileTooLarge", { name: file.name, max: humanSize(config.maxFileBytes) }) : code === "file_type" ? say("fileType", { name: file.name }) : message || strings.errServer);
}

/** The server will not take this file: said, and the file leaves its chip or its message. */
function refuse(file, text) {
  chat.error = text;
  const entry = messageWith(file.key);
  drop(file.key);
  if (entry) resend(Object.assign(entry, { files: entry.files.filter((other) => other.key !== file.key) }));
}

/** Lost on the way: tried again a few times; then (or offline) its message shows as failed, with Retry. */
function failed(file, job) {
  job.xhr = null;
  file.progress = 0;
  if (navigator.onLine !== false && job.tries < RETRIES) return later(file, job, 1000 * 3 ** job.tries++);
  const entry = messageWith(file.key);
  if (entry) entry.failed = true;
}

// Back online: the chips' uploads go again (a message's go when it is sent again, on `ready`).
addEventListener("online", () => {
  for (const file of chat.files) {
    clearTimeout(jobs.get(file.key)?.timer);
    if (jobs.has(file.key)) jobs.get(file.key).timer = null;
    again(file);
  }
});

// Bytes of messages that are long gone (stored while this page was closing): dropped after a day.
kept("readwrite", (files) => {
  const cursor = files.openCursor();
  cursor.onsuccess = () => {
    const at = cursor.result;
    if (at && !messageWith(at.key) && !(at.value?.at > Date.now() - DAY)) at.delete();
    at?.continue();
  };
}).catch(() => {});
