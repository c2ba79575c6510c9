// The widget's x-message-html (public/embed/message-html.js), in a DOM of happy-dom: the server's
// rendering of a message comes through as it is; anything outside the renderer's allowlist (were
// the HTML ever other than the server's) arrives as text, never as an element, attribute or link.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Window } from "happy-dom";
import { safeBodyHtml } from "../messages/render-body.ts";

const window = new Window();
const saved = { document: globalThis.document, DOMParser: (globalThis as Record<string, unknown>).DOMParser };
let messageNodes: (html: unknown) => Node[];

beforeAll(async () => {
  Object.assign(globalThis, { document: window.document, DOMParser: window.DOMParser });
  // A path the type checker does not follow: a browser module, without types.
  ({ messageNodes } = await import(new URL("../../public/embed/message-html.js", import.meta.url).href));
});
afterAll(async () => {
  Object.assign(globalThis, saved);
  await window.happyDOM.close();
});

/** What the widget's bubble holds after showing `html`. */
function shown(html: unknown) {
  const bubble = window.document.createElement("div");
  bubble.replaceChildren(...(messageNodes(html) as unknown as Parameters<typeof bubble.replaceChildren>));
  return bubble;
}

describe("the widget shows a message's server-rendered html", () => {
  test("the renderer's output comes through unchanged, links opening apart", () => {
    for (const text of ["**UPS** tracking https://example.com/track?id=1", "- one\n- `two`\n\n3. x\n\n```\ncode <b>\n```", "a\nb _c_ mailto:help@example.com"]) {
      const html = safeBodyHtml(text);
      expect(shown(html).innerHTML).toBe(html.replace(/ title="[^"]*"/g, ""));
    }
  });

  test("outside the allowlist only text arrives: no other element, attribute or link scheme", () => {
    const hostile =
      '<p onclick="alert(1)" class="x"><img src=x onerror=alert(1)><script>alert(2)</script><a href="javascript:alert(3)">j</a>' +
      '<a href=" JaVaScRiPt:alert(4)">k</a><a href="data:text/html,x">d</a><a href="https://ok.example" onmouseover="alert(5)" target="_top">ok</a>' +
      '<svg><a href="https://x.example">s</a></svg><iframe src="https://x.example"></iframe><ol start="3" type="i"><li style="color:red">l</li></ol></p><!-- c -->';
    const bubble = shown(hostile);
    const elements = [...bubble.querySelectorAll("*")];
    // (An <a> inside <svg> is an SVG element, not an HTML link: its text only.)
    expect(elements.map((e) => e.tagName)).toEqual(["P", "A", "OL", "LI"]);
    for (const element of elements) {
      const names = [...element.attributes].map((a) => a.name).sort();
      expect(names).toEqual(element.tagName === "A" ? ["href", "rel", "target"] : element.tagName === "OL" ? ["start"] : []);
    }
    expect([...bubble.querySelectorAll("a")].map((a) => [a.getAttribute("href"), a.rel, a.target])).toEqual([
      ["https://ok.example", "noopener noreferrer nofollow ugc", "_blank"],
    ]);
    expect(bubble.textContent).toBe("alert(2)jkdoksl");
  });

  test("nothing, or something that is not a string, shows nothing", () => {
    for (const html of ["", null, undefined]) expect(shown(html).childNodes.length).toBe(0);
    expect(shown({ toString: () => "<b>x</b>" }).innerHTML).toBe("x");
  });
});
