// Copies the browser libraries the pages load from their pinned npm packages into public/vendor,
// so the binary serves exactly the versions in package-lock.json and no CDN is ever involved.
// Run after bumping htmx.org or @alpinejs/csp: `bun run vendor`. A test checks the copies are current.
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { VENDORED_FILES } from "../src/http/vendored-files.ts";

const root = join(import.meta.dir, "..");
mkdirSync(join(root, "public/vendor"), { recursive: true });
for (const { from, to } of VENDORED_FILES) {
  copyFileSync(join(root, "node_modules", from), join(root, "public/vendor", to));
  console.log(`public/vendor/${to} <- ${from}`);
}
