/** Past this the badge says "99+", like the inbox's tab counts. */
const SHOWN_MAX = 99;

/**
 * The icon's SVG with `count` in a red dot at its top right; a count that is not a whole number
 * above 0 leaves the icon as it is. The count is the server's (the inbox's title shows the same).
 */
export function faviconWithCount(svg: string, count: number): string {
  if (!Number.isInteger(count) || count <= 0) return svg;
  const text = count > SHOWN_MAX ? `${SHOWN_MAX}+` : String(count);
  const size = text.length === 1 ? 15 : text.length === 2 ? 12 : 9.5;
  const badge =
    `<circle cx="22" cy="10" r="10" fill="#d92d20" stroke="#fff" stroke-width="1.5"/>` +
    `<text x="22" y="10" dy=".36em" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" font-weight="700" font-size="${size}" fill="#fff">${text}</text>`;
  return svg.replace("</svg>", `${badge}</svg>`);
}
