// The browser libraries copied from node_modules into public/vendor (see scripts/vendor.ts).
export const VENDORED_FILES = [
  { from: "htmx.org/dist/htmx.min.js", to: "htmx.min.js" },
  { from: "htmx.org/dist/ext/hx-ws.min.js", to: "hx-ws.min.js" },
  { from: "alpinejs/dist/cdn.min.js", to: "alpine.min.js" },
] as const;
