import { createServer, type Server } from "node:http";
import { E2E_PORT } from "./own-instance.ts";

/**
 * A customer's website on another origin (localhost vs the widget's 127.0.0.1: another site),
 * with a strict Content-Security-Policy that allows only the widget's origin. Its port follows
 * E2E_PORT, so that runs on different ports do not share it.
 */
export async function startHostPage(widgetOrigin: string, port = E2E_PORT + 1) {
  let snippet = "";
  let frames: string[] = [];
  const server: Server = createServer((req, res) => {
    if (req.url !== "/" && !req.url?.startsWith("/?")) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": `default-src 'none'; script-src ${widgetOrigin}; frame-src ${[widgetOrigin, ...frames.map((f) => new URL(f).origin)].join(" ")}; connect-src ${widgetOrigin}; style-src 'unsafe-inline'`,
    });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<style>button{display:none!important}*{font-family:serif!important;color:red!important}</style></head>
<body><h1>Welcome to the shop</h1><p>Products.</p>${frames.map((f) => `<iframe src="${f}" title="Ad"></iframe>`).join("")}${snippet}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(port, "localhost", resolve));
  return {
    url: `http://localhost:${port}/`,
    /** What the next page load contains besides the content: the snippet, and other sites' frames (ads, say). */
    set(page: { snippet: string; frames?: string[] }) {
      snippet = page.snippet;
      frames = page.frames ?? [];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
