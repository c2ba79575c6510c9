// The widget's iframe on a website that the inbox does not allow (views/widget/embed-refused.tsx):
// tells the loader (public/widget.js), at the origin the page claimed, which then shows nothing and
// explains in the console. A page that lied about its origin hears nothing.
const origin = new URLSearchParams(location.search).get("origin");
if (origin && parent !== window) parent.postMessage({ sd: "supportdesk", type: "refused" }, origin);
