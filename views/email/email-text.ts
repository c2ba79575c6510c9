// Text that goes into an email from what someone wrote: cut to a length, or made one line.

/** `text` cut to at most `max` characters (whole code points), with "…" when it was longer. */
export function clipText(text: string, max: number): string {
  const chars = [...text.trim()];
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("").trimEnd()}…`;
}

/** One line for a subject: line breaks, tabs and other control characters become single spaces. */
export function oneLine(text: string, max = 80): string {
  return clipText(text.replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " "), max);
}
