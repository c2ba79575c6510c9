import type { WidgetStrings } from "../../src/widget/locales/index.ts";

// The widget's files (public/embed/files.js, uploads.js). A file's name is the customer's or an
// agent's words: only ever bound with x-text or as an attribute, never as markup.

/**
 * A message's files in its transcript row (`r.files`, public/embed/transcript.js): an image inline
 * within its link, another file as a link with its size, both opening apart (a link past its hour
 * is renewed first); in the outbox, the file's name and its upload's progress.
 */
export function MessageFiles(): string {
  return (
    <template x-for="a in r.files" x-bind:key="a.key">
      <p class="sd-file">
        <template x-if="a.img">
          <a x-bind:href="a.f.url" target="_blank" rel="noopener" x-on:click="$store.chat.openFile($event, a.f)">
            <img x-bind:src="a.f.url" x-bind:alt="a.f.name" x-on:error="$store.chat.imageFailed(a.f)" />
          </a>
        </template>
        <template x-if="a.doc">
          <a x-bind:href="a.f.url" target="_blank" rel="noopener" x-on:click="$store.chat.openFile($event, a.f)" x-text="a.label"></a>
        </template>
        {/* In the outbox: no link yet, the name and size, and the upload's progress. */}
        <template x-if="a.up">
          <span>
            <span x-text="a.label"></span> <progress max="1" x-show="!a.f.id" x-bind:value="a.f.progress" x-bind:aria-label="a.f.name"></progress>
          </span>
        </template>
      </p>
    </template>
  ) as string;
}

/** The files attached to the next message, above the field: name, size, progress, and a remove button that stops the upload. */
export function FileChips(): string {
  return (
    <ul class="sd-chips" x-show="$store.chat.files.length">
      <template x-for="f in $store.chat.files" x-bind:key="f.key">
        <li>
          <span x-text="f.name"></span>
          <small x-text="f.sizeText"></small>
          <progress max="1" x-show="!f.id" x-bind:value="f.progress" x-bind:aria-label="f.name"></progress>
          <button type="button" class="sd-icon" x-on:click="$store.chat.removeFile(f.key)" x-bind:aria-label="f.removeLabel">
            ×
          </button>
        </li>
      </template>
    </ul>
  ) as string;
}

/** The paperclip beside the field, and the file input it opens (several files at once). */
export function AttachButton({ s }: { s: WidgetStrings }): string {
  return (
    <>
      <button type="button" class="sd-icon" x-on:click="$store.chat.chooseFiles()" title={s.attach} aria-label={s.attach}>
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <path d="M21 12l-8.5 8.5a5.5 5.5 0 0 1-8-8L13 4a3.7 3.7 0 0 1 5 5l-8.5 8.5a1.8 1.8 0 0 1-2.5-2.5L15 7" />
        </svg>
      </button>
      <input type="file" id="sd-file" multiple hidden x-on:change="$store.chat.picked($event)" />
    </>
  ) as string;
}
