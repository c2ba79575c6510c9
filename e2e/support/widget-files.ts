import { type APIRequestContext, type Page } from "@playwright/test";
import { widget } from "./widget-page.ts";

// Files in the widget as a customer handles them: the paperclip's file dialog, a paste, and the
// uploads on their way, which a test can hold.

/** A 1×1 PNG: a real image, as the server checks types by content. */
export const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
/** An executable's first bytes ("MZ"), whatever it is named. */
export const EXECUTABLE = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(4094)]);

export type FilePayload = { name: string; mimeType: string; buffer: Buffer };
export const png = (name: string): FilePayload => ({ name, mimeType: "image/png", buffer: PNG });

/** The files attached to the next message, above the field. */
export const chips = (page: Page) => widget(page).locator(".sd-chips li");
/** The line under the field that says what went wrong. */
export const errorLine = (page: Page) => widget(page).getByRole("alert").filter({ visible: true }).filter({ hasText: /./ });

/** Chooses files through the paperclip button, as in the browser's file dialog. */
export async function attachWithPaperclip(page: Page, files: FilePayload[]) {
  const chooser = page.waitForEvent("filechooser");
  await widget(page).getByRole("button", { name: "Attach a file" }).click();
  await (await chooser).setFiles(files);
}

/** Pastes files into the message field, as the browser's paste of a copied screenshot does. */
export async function pasteFiles(page: Page, files: { name: string; type: string; base64: string }[]) {
  const frame = page.frame({ url: /\/embed\/widget/ })!;
  await frame.evaluate((files) => {
    const data = new DataTransfer();
    for (const { name, type, base64 } of files) data.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type }));
    document.getElementById("sd-msg")!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, files);
}

type WireFile = { id: string; name: string; size: number; type: string; image: boolean; url: string };

/** The visitor's conversation as the widget API gives it, read with the visitor's own token (from the widget's storage). */
export async function visitorMessages(page: Page, request: APIRequestContext, inboxKey: string) {
  const frame = page.frame({ url: /\/embed\/widget/ })!;
  const token = await frame.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "null") as string, `sd:${inboxKey}:token`);
  const answer = await request.get("/api/v1/widget/messages", { headers: { authorization: `Bearer ${token}` } });
  return ((await answer.json()) as { messages: { body: string; attachments?: WireFile[] }[] }).messages;
}

/** How many files the widget keeps in IndexedDB for messages that wait in its outbox. */
export async function keptFiles(page: Page): Promise<number> {
  const frame = page.frame({ url: /\/embed\/widget/ })!;
  return frame.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open("sd-files");
        open.onerror = () => resolve(-1);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("files")) return resolve(0);
          const count = db.transaction("files").objectStore("files").count();
          count.onsuccess = () => {
            resolve(count.result);
            db.close();
          };
        };
      }),
  );
}

/**
 * Holds the widget's uploads (POST /api/v1/widget/files) until `release`, as a slow network would;
 * `passThrough` lets later ones through at once. `started` counts the uploads that reached the route.
 */
export async function holdUploads(page: Page) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const state = { started: 0, holding: true };
  await page.route(/\/api\/v1\/widget\/files\?/, async (route) => {
    state.started++;
    if (state.holding) await released;
    // An upload the page aborted, or lost in a reload, cannot go on.
    await route.continue().catch(() => {});
  });
  return {
    get started() {
      return state.started;
    },
    release,
    passThrough() {
      state.holding = false;
    },
  };
}
