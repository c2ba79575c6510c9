// What the server rendered into the page (#sd-config): the inbox, its colours, the visitor's
// language with its strings, and the longest message the server accepts.
export const config = JSON.parse(document.getElementById("sd-config").textContent);
export const strings = config.strings;
const numbers = new Intl.NumberFormat(config.locale);

/** A string of the catalog with its {placeholders} filled in, numbers formatted for the language. */
export function say(key, values = {}) {
  return strings[key].replace(/\{(\w+)\}/g, (placeholder, name) => {
    const value = values[name];
    return value === undefined ? placeholder : typeof value === "number" ? numbers.format(value) : value;
  });
}
