/** Text as one line of at most `max` characters (an ellipsis where cut): previews in menus and lists. */
export function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
