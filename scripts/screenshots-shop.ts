// The shop's website of the widget screenshot: another origin (localhost vs 127.0.0.1) with the
// snippet, and enough of a page around it to look like one.
import { createServer } from "node:http";

const PRODUCTS = [
  ["Alpine 45 backpack", "€139", "#7c9a6d"],
  ["Summit 2 tent", "€289", "#c98b4a"],
  ["Ridge trail shoes", "€119", "#5b7fa3"],
  ["Trailblazer jacket", "€179", "#a35b5b"],
];

function page(snippet: string): string {
  const cards = PRODUCTS.map(
    ([name, price, colour]) =>
      `<article><div class="photo" style="background:${colour}"></div><h2>${name}</h2><p>${price}</p></article>`,
  ).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Trailgear: outdoor equipment</title>
<style>
body{margin:0;font-family:system-ui,sans-serif;color:#1f2328;background:#faf8f5}
header{display:flex;align-items:center;gap:2rem;padding:1rem 3rem;background:#22382c;color:#fff}
header strong{font-size:1.4rem} header nav{display:flex;gap:1.5rem;opacity:.9}
.hero{padding:3rem;background:linear-gradient(120deg,#31543f,#7c9a6d);color:#fff}
.hero h1{margin:0 0 .5rem;font-size:2.4rem} .hero p{margin:0;font-size:1.1rem}
main{display:grid;grid-template-columns:repeat(4,1fr);gap:1.5rem;padding:2rem 3rem}
article{background:#fff;border-radius:10px;padding:1rem;box-shadow:0 1px 3px #0002}
.photo{height:150px;border-radius:8px} article h2{font-size:1.05rem;margin:.75rem 0 .25rem} article p{margin:0;color:#5b6470}
</style></head><body>
<header><strong>Trailgear</strong><nav><span>Backpacks</span><span>Tents</span><span>Shoes</span><span>Jackets</span></nav></header>
<section class="hero"><h1>Ready for the mountains</h1><p>Free returns for 60 days. Questions? Chat with us.</p></section>
<main>${cards}</main>${snippet}</body></html>`;
}

export async function startShop(port: number, snippet: string) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(page(snippet));
  });
  await new Promise<void>((resolve) => server.listen(port, "localhost", resolve));
  return { url: `http://localhost:${port}/`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
