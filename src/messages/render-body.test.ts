// The message renderer: the Markdown subset and links on, everything else literal, and no input
// that makes it produce a tag, an attribute or a URL that could run script.
import { describe, expect, test } from "bun:test";
import { Window } from "happy-dom";
import { LINK_REL, MAX_MARKDOWN_CHARS, safeBodyHtml, safeEmailBodyHtml } from "./render-body.ts";

const link = (href: string, text = href) => `<a href="${href}" rel="${LINK_REL}" target="_blank">${text}</a>`;

describe("the Markdown subset", () => {
  test("bold, italic and inline code", () => {
    expect(safeBodyHtml("**bold** __bold__ *it* _it_ `a < b`")).toBe("<p><strong>bold</strong> <strong>bold</strong> <em>it</em> <em>it</em> <code>a &lt; b</code></p>");
  });

  test("a single newline is a line break; a blank line a new paragraph", () => {
    expect(safeBodyHtml("one\ntwo\n\nthree")).toBe("<p>one<br>\ntwo</p>\n<p>three</p>");
  });

  test("lists, ordered and not", () => {
    expect(safeBodyHtml("- a\n- b")).toBe("<ul>\n<li>a</li>\n<li>b</li>\n</ul>");
    expect(safeBodyHtml("3. x\n4. y")).toBe('<ol start="3">\n<li>x</li>\n<li>y</li>\n</ol>');
  });

  test("code blocks, fenced and indented, keep their text as written (no class from the info string)", () => {
    expect(safeBodyHtml("```js\nif (a < b) **x**\n```")).toBe("<pre><code>if (a &lt; b) **x**\n</code></pre>");
    expect(safeBodyHtml("    indented *code*")).toBe("<pre><code>indented *code*\n</code></pre>");
  });

  test("headings, quotes, rules, images, tables, strikethrough, entities and reference links stay literal", () => {
    const text = "# Title\n> quoted\n---\n![logo](x.png)\n| a | b |\n~~gone~~ &copy;\n[ref]\n\n[ref]: https://example.com";
    expect(safeBodyHtml(text)).toBe(
      `<p># Title<br>\n&gt; quoted<br>\n---<br>\n![logo](x.png)<br>\n| a | b |<br>\n~~gone~~ &amp;copy;<br>\n[ref]</p>\n<p>[ref]: ${link("https://example.com")}</p>`,
    );
    expect(safeBodyHtml("Title\n=====")).toBe("<p>Title<br>\n=====</p>");
  });

  test("a backslash keeps a Markdown character literal", () => {
    expect(safeBodyHtml("\\*not italic\\*")).toBe("<p>*not italic*</p>");
  });
});

describe("links", () => {
  test("a bare URL becomes a link that opens apart and vouches for nothing", () => {
    expect(safeBodyHtml("**UPS** tracking https://example.com/track?id=1")).toBe(`<p><strong>UPS</strong> tracking ${link("https://example.com/track?id=1")}</p>`);
  });

  test("www. without a scheme is a link; other bare names (files like invoice.zip) are not", () => {
    expect(safeBodyHtml("see www.example.com/t?id=1.")).toBe(`<p>see <a href="http://www.example.com/t?id=1" rel="${LINK_REL}" target="_blank">www.example.com/t?id=1</a>.</p>`);
    expect(safeBodyHtml("invoice.zip, notes.md and example.com")).toBe("<p>invoice.zip, notes.md and example.com</p>");
  });

  test("[text](url), <url> and email addresses", () => {
    expect(safeBodyHtml("[the docs](https://example.com/docs)")).toBe(`<p>${link("https://example.com/docs", "the docs")}</p>`);
    expect(safeBodyHtml("<http://example.com>")).toBe(`<p>${link("http://example.com")}</p>`);
    expect(safeBodyHtml("write to help@example.com")).toBe(`<p>write to ${link("mailto:help@example.com", "help@example.com")}</p>`);
    expect(safeBodyHtml("[mail us](mailto:help@example.com)")).toBe(`<p>${link("mailto:help@example.com", "mail us")}</p>`);
  });

  test("any other scheme, a relative URL and an image stay plain text", () => {
    for (const text of ["[x](javascript:alert(1))", "[x](data:text/html,hi)", "[x](vbscript:msgbox)", "[x](file:///etc/passwd)", "[x](/settings)", "[x](//evil.example)", "[x](ftp://example.com)"]) {
      expect(safeBodyHtml(text)).toBe(`<p>${text}</p>`);
    }
    expect(safeBodyHtml("ftp://example.com javascript:alert(1)")).toBe("<p>ftp://example.com javascript:alert(1)</p>");
  });

  test("a link's title is an escaped attribute", () => {
    expect(safeBodyHtml('[x](https://example.com "a \\" onmouseover=alert(1) b")')).toContain('title="a &quot; onmouseover=alert(1) b"');
  });
});

// Everything the renderer may produce, and nothing else.
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  P: [], BR: [], STRONG: [], EM: [], CODE: [], PRE: [], UL: [], LI: [],
  OL: ["start"],
  A: ["href", "rel", "target", "title"],
};

/** What a browser would build from the HTML: every element, with a reason for any it must not have. */
function unsafeParts(html: string): string[] {
  const window = new Window();
  window.document.body.innerHTML = html;
  const problems: string[] = [];
  for (const element of window.document.body.querySelectorAll("*")) {
    const allowed = ALLOWED_ATTRIBUTES[element.tagName];
    if (!allowed) problems.push(`element <${element.tagName}>`);
    for (const { name, value } of element.attributes) {
      if (!allowed?.includes(name)) problems.push(`attribute ${name} on <${element.tagName}>`);
      if (name === "href" && !/^(https?:\/\/|mailto:)/.test(value ?? "")) problems.push(`href ${value}`);
      if (name === "target" && value !== "_blank") problems.push(`target ${value}`);
      if (name === "rel" && value !== LINK_REL) problems.push(`rel ${value}`);
    }
  }
  void window.happyDOM.close();
  return problems;
}

const SCHEMES = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "java%0ascript:alert(1)", "javascript%3Aalert(1)",
  "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)", "&#0000106avascript:alert(1)", "javascript&colon;alert(1)", "jav&#x09;ascript:alert(1)", "\\u006aavascript:alert(1)",
  "%6Aavascript:alert(1)", "\x01javascript:alert(1)", "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "file:///etc/passwd", "https:javascript:alert(1)"];

const XSS_CORPUS = [
  "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", "<iframe src=javascript:alert(1)>",
  "<a href=\"javascript:alert(1)\">x</a>", "`<img src=x onerror=alert(1)>`", "```\n<script>alert(1)</script>\n```", "```\"><img src=x onerror=alert(1)>\nx\n```",
  "[<img src=x onerror=alert(1)>](https://example.com)", "[x](https://example.com\"onmouseover=\"alert(1))", "[x](https://example.com 'a\" onmouseover=\"alert(1)')",
  "[x](<https://example.com\" onmouseover=\"alert(1)>)", "https://example.com/\"><script>alert(1)</script>", "https://example.com/<svg/onload=alert(1)>",
  "<https://example.com/\"onmouseover=alert(1)>", "mailto:a@example.com?subject=\"><script>alert(1)</script>", "\"onmouseover=\"alert(1)@example.com",
  "**<b onclick=alert(1)>x</b>**", "***_*[x](javascript:alert(1))*_***", "*".repeat(200) + "[x](javascript:alert(1))" + "_".repeat(200), "- [x](javascript:alert(1))\n  - <img src=x onerror=alert(1)>",
  "![x](javascript:alert(1))", "![x](https://example.com/x.png\"onerror=\"alert(1))", "&lt;script&gt;alert(1)&lt;/script&gt;", "<!-- x --><script>alert(1)</script>", "<style>*{}</style>",
  ...SCHEMES.flatMap((url) => [`[x](${url})`, `[x](<${url}>)`, `<${url}>`, url, `[x][r]\n\n[r]: ${url}`]),
];

describe("the XSS corpus", () => {
  test.each(XSS_CORPUS.map((text) => [text]))("%p renders nothing that could run script", (text) => {
    expect(unsafeParts(safeBodyHtml(text))).toEqual([]);
    expect(unsafeParts(safeEmailBodyHtml(text)).filter((p) => !p.startsWith("attribute style"))).toEqual([]);
  });

  test("no href in the corpus points anywhere but http, https or mailto", () => {
    const hrefs = XSS_CORPUS.flatMap((text) => [...safeBodyHtml(text).matchAll(/href="([^"]*)"/g)].map((m) => m[1]!));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^(https?:\/\/|mailto:)/);
  });
});

describe("pathological input", () => {
  const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  const worst = ["[", "[a](", "*a", "_a", "*_", "`a", "<http://a", "a@b.co ", "https://a.com ", "\\", "![", "- "].map((unit) => fill(unit, 5000));

  test("a message-sized (5000 characters) pathological input renders in well under a second", () => {
    const start = process.cpuUsage();
    for (const text of worst) expect(unsafeParts(safeBodyHtml(text))).toEqual([]);
    const cpu = process.cpuUsage(start);
    // Measured at about 40 ms of CPU for all twelve together (warm, 2 cores under load): a generous bound.
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(2000);
  });

  test("text longer than the parser is given is shown as plain escaped text with its line breaks", () => {
    const text = `**not bold** <b>\n${"x".repeat(MAX_MARKDOWN_CHARS)}`;
    expect(safeBodyHtml(text)).toBe(`<p>**not bold** &lt;b&gt;<br>\n${"x".repeat(MAX_MARKDOWN_CHARS)}</p>`);
  });
});

describe("the email version", () => {
  test("the same HTML with inline styles (mail clients drop stylesheets)", () => {
    const html = safeEmailBodyHtml("**UPS** `1Z` https://example.com");
    expect(html).toStartWith('<p style="margin:0 0 8px"><strong>UPS</strong> <code style=');
    expect(html).toContain(`href="https://example.com" style="color:#1d4ed8" rel="${LINK_REL}" target="_blank"`);
  });
});
