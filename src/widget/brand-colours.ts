const HEX = /^#([0-9a-f]{3}){1,2}$/i;

/**
 * The widget's colours: the one the site gave to boot (when it is a hex colour) or else the
 * inbox's, and the text colour on it: white unless white falls below 4.5:1 contrast on it (WCAG
 * AA), black then (which reaches at least 4.6:1).
 */
export function brandColours(requested: string | undefined, saved: string): { color: string; onColor: string } {
  const color = requested && HEX.test(requested) ? requested : saved;
  const hex = color.length === 4 ? color.replace(/[0-9a-f]/gi, (digit) => digit + digit) : color;
  const [r, g, b] = [1, 3, 5].map((at) => {
    const value = parseInt(hex.slice(at, at + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return { color, onColor: 1.05 / (luminance + 0.05) >= 4.5 ? "#fff" : "#000" };
}
