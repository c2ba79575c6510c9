// A message's server-rendered `html` (src/messages/render-body.ts) into the page, never as HTML:
// parsed in an inert document and copied node by node through the server's allowlist (links only
// to http(s) or mailto); anything else keeps just its text.
const TAGS = new Set(["P", "BR", "STRONG", "EM", "CODE", "PRE", "UL", "OL", "LI", "A"]);
const LINK = /^(https?:\/\/|mailto:)/i;

function copy(from) {
  return Array.from(from.childNodes, (node) => {
    if (node.nodeType === 3) return document.createTextNode(node.data);
    if (node.nodeType !== 1) return [];
    const tag = node.tagName, href = node.getAttribute("href") || "";
    if (!TAGS.has(tag) || (tag === "A" && !LINK.test(href))) return copy(node);
    const element = document.createElement(tag);
    if (tag === "A") Object.assign(element, { href, rel: "noopener noreferrer nofollow ugc", target: "_blank" });
    if (tag === "OL" && node.hasAttribute("start")) element.start = parseInt(node.getAttribute("start"), 10) || 1;
    element.append(...copy(node));
    return element;
  }).flat();
}

/** The nodes to show for a message's server-rendered `html`. */
export const messageNodes = (html) => copy(new DOMParser().parseFromString(String(html || ""), "text/html").body);

/** `x-message-html="r.html"`: the element shows that message's rendering (and follows it when it changes). */
export function registerMessageHtml(Alpine) {
  Alpine.directive("message-html", (element, { expression }, { effect, evaluateLater }) => {
    const read = evaluateLater(expression);
    let shown; // the same html again keeps its nodes (and a text selection)
    effect(() => read((html) => html !== shown && element.replaceChildren(...messageNodes((shown = html)))));
  });
}
