// The browser libraries copied from node_modules into public/vendor (see scripts/vendor.ts).
export const VENDORED_FILES = [
  { from: "htmx.org/dist/htmx.min.js", to: "htmx.min.js" },
  { from: "htmx.org/dist/ext/hx-ws.min.js", to: "hx-ws.min.js" },
  // Alpine's CSP build: it parses its directives itself instead of calling Function(), so pages
  // run under a CSP without 'unsafe-eval' (src/http/security-headers.ts).
  { from: "@alpinejs/csp/dist/cdn.min.js", to: "alpine-csp.min.js" },
] as const;
