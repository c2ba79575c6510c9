/** The scripts a page showing <EmbedSnippet> loads, in this order. */
export const EMBED_SNIPPET_SCRIPTS = ["/public/embed-snippet.js", "/public/vendor/alpine-csp.min.js"];

/** The one line a website adds to get the widget. */
export function embedSnippet(publicUrl: string, publicKey: string): string {
  const base = publicUrl.replace(/\/$/, "");
  return `<script src="${base}/widget.js" data-inbox="${publicKey}" async></script>`;
}

/**
 * The snippet in a read-only field with a copy button (the button works without JS as a selectable
 * field). The `embedSnippet` component is public/embed-snippet.js: pages that show this load it
 * before Alpine (EMBED_SNIPPET_SCRIPTS).
 */
export function EmbedSnippet(props: { publicUrl: string; publicKey: string }) {
  const snippet = embedSnippet(props.publicUrl, props.publicKey);
  const id = `snippet-${props.publicKey}`;
  return (
    <div class="snippet" x-data="embedSnippet">
      <label for={id}>Paste this just before the closing body tag of every page of your website</label>
      <textarea id={id} x-ref="code" class="snippet-code" readonly rows="2" safe>
        {snippet}
      </textarea>
      <button
        type="button"
        class="button"
        x-on:click="copy"
      >
        <span x-show="!copied">Copy snippet</span>
        <span x-show="copied" x-cloak>
          Copied
        </span>
      </button>
    </div>
  );
}
