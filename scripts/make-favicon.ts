// Makes public/favicon.ico from public/favicon.svg (run again after changing the SVG): Chromium
// renders the SVG at 16, 32 and 48 px, and the three PNGs go into one .ico container (PNG entries
// are valid in .ico since Windows Vista and in every browser).
//
//   bun scripts/make-favicon.ts
import { chromium } from "@playwright/test";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const SIZES = [16, 32, 48];

const svg = await Bun.file(join(root, "public/favicon.svg")).text();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
const pngs: Buffer[] = [];
for (const size of SIZES) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<body style="margin:0">${svg.replace("<svg ", `<svg width="${size}" height="${size}" `)}</body>`);
  pngs.push(await page.screenshot({ omitBackground: true }));
  await page.close();
}
await browser.close();

// ICONDIR (6 bytes), one ICONDIRENTRY (16 bytes) per image, then the images.
const header = Buffer.alloc(6 + 16 * pngs.length);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(pngs.length, 4);
let offset = header.length;
pngs.forEach((png, i) => {
  const entry = 6 + 16 * i;
  header.writeUInt8(SIZES[i]! % 256, entry);
  header.writeUInt8(SIZES[i]! % 256, entry + 1);
  header.writeUInt16LE(1, entry + 4); // colour planes
  header.writeUInt16LE(32, entry + 6); // bits per pixel
  header.writeUInt32LE(png.length, entry + 8);
  header.writeUInt32LE(offset, entry + 12);
  offset += png.length;
});
await Bun.write(join(root, "public/favicon.ico"), Buffer.concat([header, ...pngs]));
console.log(`public/favicon.ico: ${offset} bytes`);
