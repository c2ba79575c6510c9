// Message text as HTML: links and a small Markdown subset, rendered on the server for the inbox,
// the emails and the widget (which gets the result in its frames and never builds HTML itself).
// markdown-it does the parsing and the escaping; this module only chooses what it may produce.
import { LinkifyIt } from "linkify-it";
import MarkdownIt, { type StateInline, type Token } from "markdown-it";

/** What every link in a message carries: it opens apart from the app and vouches for nothing. */
export const LINK_REL = "noopener noreferrer nofollow ugc";

/**
 * Longer text is shown as plain text with its line breaks (still escaped). Messages are capped at
 * 5000 characters anyway; this bounds the parser's work for anything that reaches it another way.
 */
export const MAX_MARKDOWN_CHARS = 10_000;

// "zero" enables nothing but paragraphs and text: each rule we want is named, so headings, images,
// tables, blockquotes, rules, reference links, strikethrough, entities and raw HTML stay literal.
const md = new MarkdownIt("zero", { html: false, linkify: true, breaks: true });
md.enable(["code", "fence", "list"]); // block
md.enable(["linkify", "newline", "escape", "backticks", "emphasis", "link", "autolink"]); // inline (and core linkify)

// Links typed without a scheme: only "www." ones. Any other bare name would turn file names into
// links ("invoice.zip", "notes.md" end in real top-level domains), which is why linkify-it no
// longer finds them by default. Searching for them is one very large regular expression over the
// whole text, two thirds of a short message's rendering: only a text with "www." in it is searched
// for them; any other text by a linkifier that finds schemes and email addresses alone.
const WWW = /www\./i;
const withBareLinks = md.linkify.set({ fuzzyLink: true });
const schemesOnly = new LinkifyIt(); // fuzzyLink is off by default
const testWithBareLinks = withBareLinks.test.bind(withBareLinks);
const matchWithBareLinks = withBareLinks.match.bind(withBareLinks);
md.linkify.test = (text: string) => (WWW.test(text) ? testWithBareLinks(text) : schemesOnly.test(text));
// Only the linkifier with bare links finds matches without a scheme: the filter is its alone.
md.linkify.match = (text: string) =>
  WWW.test(text) ? (matchWithBareLinks(text)?.filter((found) => found.schema !== "" || /^www\./i.test(found.text)) ?? null) : schemesOnly.match(text);

// Only these schemes become links. markdown-it has decoded entities and percent-escapes the URL
// before it asks, so "JaVaScRiPt:" or "&#106;avascript:" arrive as what they are and are refused;
// a refused [text](url) is left as the literal text, a refused bare URL as text.
const ALLOWED_LINK = /^(?:https?:\/\/[^/]|mailto:[^/])/i;
md.validateLink = (url: string) => ALLOWED_LINK.test(url);

// With the image rule off, "![alt](url)" would still parse as "!" and a link: keep "![" literal.
md.inline.ruler.before("link", "image_literal", (state: StateInline, silent: boolean) => {
  if (state.src.charCodeAt(state.pos) !== 0x21 /* ! */ || state.src.charCodeAt(state.pos + 1) !== 0x5b /* [ */) return false;
  if (!silent) state.push("text", "", 0).content = "![";
  state.pos += 2;
  return true;
});

// A fence's info string ("```js") would become a class name of the writer's choosing: nothing here
// highlights code, so it is dropped.
md.core.ruler.after("block", "fence_without_info", (state) => {
  for (const token of state.tokens) if (token.type === "fence") token.info = "";
});

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx]!.attrSet("rel", LINK_REL);
  tokens[idx]!.attrSet("target", "_blank");
  return self.renderToken(tokens, idx, options);
};

function renderTokens(body: string, styleTokens?: (tokens: Token[]) => void): string {
  if (body.length > MAX_MARKDOWN_CHARS) return `<p>${md.utils.escapeHtml(body).replace(/\r?\n/g, "<br>\n")}</p>`;
  const env = {};
  const tokens = md.parse(body, env);
  styleTokens?.(tokens);
  return md.renderer.render(tokens, md.options, env).trimEnd();
}

/**
 * The same text is rendered several times within moments (a customer's message: its ack, the
 * customer's frame and the agents' partial; a replay): the latest renderings are kept. Emptied
 * when full, like a generation: the messages of the last moments come back at once.
 */
const recent = new Map<string, string>();
const RECENT_LIMIT = 256;

/** The message's text as safe HTML (block elements: wrap it in a <div>, not a <p>). */
export function safeBodyHtml(body: string): string {
  let html = recent.get(body);
  if (html === undefined) {
    if (recent.size >= RECENT_LIMIT) recent.clear();
    html = renderTokens(body);
    recent.set(body, html);
  }
  return html;
}

// Mail clients drop <style>: the email version carries its look on each element.
const EMAIL_STYLES: Record<string, string> = {
  p: "margin:0 0 8px",
  ul: "margin:0 0 8px;padding-left:24px",
  ol: "margin:0 0 8px;padding-left:24px",
  pre: "margin:0 0 8px;padding:8px;background:#e4e4e7;border-radius:4px;white-space:pre-wrap;font-size:13px",
  code: "font-family:ui-monospace,Menlo,Consolas,monospace;background:#e4e4e7;border-radius:3px;padding:0 3px",
  a: "color:#1d4ed8",
};

function styleForEmail(tokens: Token[]) {
  for (const token of tokens) {
    const style = token.nesting !== -1 ? EMAIL_STYLES[token.tag] : undefined;
    if (style) token.attrSet("style", style);
    if (token.children) styleForEmail(token.children);
  }
}

/** The same HTML as safeBodyHtml, with inline styles for an email's HTML part. */
export function safeEmailBodyHtml(body: string): string {
  return renderTokens(body, styleForEmail);
}
