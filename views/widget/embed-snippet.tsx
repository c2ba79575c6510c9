import { COPY_SCRIPTS, CopyButton, CopyStatus } from "../components/copy-field.tsx";

/** The scripts a page showing <EmbedSnippet> loads. */
export const EMBED_SNIPPET_SCRIPTS = COPY_SCRIPTS;

/** The one line a website adds to get the widget. */
export function embedSnippet(publicUrl: string, publicKey: string): string {
  const base = publicUrl.replace(/\/$/, "");
  return `<script src="${base}/widget.js" data-inbox="${publicKey}" async></script>`;
}

/**
 * The snippet in a read-only field (selectable without a script) with a copy button
 * (public/copy-text.js: pages that show this load EMBED_SNIPPET_SCRIPTS).
 */
export function EmbedSnippet(props: { publicUrl: string; publicKey: string }) {
  const snippet = embedSnippet(props.publicUrl, props.publicKey);
  const id = `snippet-${props.publicKey}`;
  return (
    <div class="snippet">
      <label for={id}>Paste this just before the closing body tag of every page of your website</label>
      <textarea id={id} class="snippet-code" readonly rows="2" safe>
        {snippet}
      </textarea>
      <CopyButton from={id} text="Copy snippet" />
      <CopyStatus from={id} />
    </div>
  );
}
