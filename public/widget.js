/* SupportDesk chat widget loader: a launcher on the host page that opens the chat in an iframe.
 * API: /widget.d.ts. Served minified (src/widget/loader.ts); it must stay within 3 KB brotli. */
(() => {
  "use strict";
  let sdk = window.SupportDesk;
  if (sdk?.loaded) return;
  // Calls made before <body> exists wait in the stub's queue, like calls made before this script ran.
  if (!sdk) sdk = window.SupportDesk = function stub() { (stub.q = stub.q || []).push(arguments); };
  const STRINGS = __SD_STRINGS__;
  const script = document.currentScript || document.querySelector('script[src*="/widget.js"]');
  const ORIGIN = new URL(script.src).origin;
  const COMMANDS = ["boot", "on", "open", "close", "toggle", "identify", "shutdown", "showNewMessage"];
  const CHAT_ICON = "M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z";
  const CLOSE_ICON = "M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z";
  const listeners = {};
  const warned = new Set();
  let widget = null;
  let forgetting = 0; // shut-down widgets whose iframe has not yet cleared the visitor's storage

  const emit = (event, value) => (listeners[event] || []).forEach((callback) => { try { callback(value); } catch (error) { console.error(error); } });
  const isColour = (colour) => /^#([\da-f]{3}){1,2}$/i.test(colour);
  const attempt = (fn) => { try { return fn(); } catch {} };
  const add = (parent, name, attributes = {}, svg) => {
    const element = svg ? document.createElementNS("http://www.w3.org/2000/svg", name) : document.createElement(name);
    for (const key in attributes) element.setAttribute(key, attributes[key]);
    return parent.appendChild(element);
  };
  /** The user as the widget passes it on: its known fields, as strings. */
  const userOf = (given) => given && Object.fromEntries(["id", "email", "name", "hash", "token"].filter((key) => given[key] != null).map((key) => [key, `${given[key]}`]));

  function launch(options) {
    let language = (options.locale || navigator.language || "").toLowerCase().split(/[-_]/)[0];
    if (!STRINGS[language]) language = "en";
    const strings = STRINGS[language];
    const storageKey = `sd:${options.inbox}`;
    const colour = isColour(options.color) ? options.color : "";
    const queue = []; // messages for the iframe until it has loaded
    let user = userOf(options.user), unread = 0, open = false, loaded = false, shutDown = false, holdsForget = false, iframe, sheet;

    const host = add(document.body, "supportdesk-widget");
    const root = host.attachShadow({ mode: "open" });
    const button = add(root, "button", { type: "button" });
    const icon = add(add(button, "svg", { viewBox: "0 0 24 24", "aria-hidden": "true" }, true), "path", {}, true);
    const badge = add(button, "span", { class: "b", "aria-hidden": "true" });
    const panel = add(root, "div", { class: "p" });

    // The side and colour given to boot win; else the inbox's saved ones, which the iframe sends.
    const paint = (savedColour, savedSide) => {
      const side = (options.position || savedSide) === "left" ? "left" : "right";
      const c = colour || (isColour(savedColour) ? savedColour : "#2563eb");
      const css = `:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483000!important;bottom:20px!important;${side}:20px!important}
button{all:initial;box-sizing:border-box;position:relative;display:flex;align-items:center;justify-content:center;width:56px;height:56px;border-radius:50%;background:${c};color:#fff;cursor:pointer;box-shadow:0 4px 12px rgba(0,0,0,.25)}
button:focus-visible{outline:3px solid ${c};outline-offset:3px;box-shadow:0 0 0 3px #fff}
svg{width:28px;height:28px;fill:currentColor}
.b{position:absolute;top:-4px;right:-4px;box-sizing:border-box;min-width:20px;height:20px;padding:0 5px;border-radius:10px;background:#dc2626;color:#fff;font:700 12px/20px system-ui,sans-serif;text-align:center}
.p{position:fixed;bottom:96px;${side}:20px;width:min(380px,100vw - 40px);height:min(600px,100vh - 100px);border-radius:16px;overflow:hidden;background:#fff;box-shadow:0 8px 40px rgba(0,0,0,.3)}
iframe{display:block;width:100%;height:100%;border:0}
@media(max-width:479px){.p{inset:0;width:auto;height:auto;border-radius:0}}`;
      sheet ||= new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    };
    const render = () => {
      icon.setAttribute("d", open ? CLOSE_ICON : CHAT_ICON);
      button.setAttribute("aria-expanded", open);
      button.setAttribute("aria-label", (open ? strings.launcherClose : strings.launcherOpen) + (unread ? `, ${strings.launcherUnread.replace("{count}", unread)}` : ""));
      badge.textContent = unread > 9 ? "9+" : unread;
      badge.hidden = !unread;
      panel.hidden = !open;
    };
    const post = (type, fields) => {
      const message = { ...fields, sd: "supportdesk", type };
      loaded ? iframe.contentWindow.postMessage(message, ORIGIN) : queue.push(message);
    };
    const setUnread = (count) => {
      count = Math.max(0, count | 0);
      if (count !== unread) (unread = count), render(), emit("unreadCountChange", count);
    };
    const makeFrame = () => {
      if (iframe) return;
      // A widget shut down before its iframe loaded: this one waits until the visitor is forgotten.
      if (forgetting && !shutDown) return setTimeout(makeFrame, 99);
      const query = new URLSearchParams({ inbox: options.inbox, origin: location.origin, locale: language, ...(colour && { color: colour }) });
      iframe = add(panel, "iframe", { title: "Chat", src: `${ORIGIN}/embed/widget?${query}` });
      if (open) iframe.focus();
    };
    const show = () => {
      if (open) return;
      open = true;
      render();
      iframe ? iframe.focus() : makeFrame();
      if (loaded) post("open", { page: location.href });
      emit("open");
    };
    const hide = () => {
      if (!open) return;
      const hadFocus = document.activeElement === host;
      open = false;
      render();
      if (loaded) post("close");
      if (hadFocus) button.focus();
      emit("close");
    };
    const forgotten = () => holdsForget && ((holdsForget = false), forgetting--);
    const remove = () => (forgotten(), host.remove(), removeEventListener("message", onMessage));
    const fromChat = { ready: () => emit("ready"), unread: (m) => setUnread(m.count), message: (m) => emit("message", m.message), close: hide, open: show };
    // The chat's state, kept in this page's storage when the browser refuses the iframe storage of its own.
    fromChat.store = (m) => attempt(() => localStorage.setItem(storageKey, JSON.stringify(m.data)));
    const onMessage = (event) => {
      const message = event.data;
      if (event.origin !== ORIGIN || !iframe || event.source !== iframe.contentWindow || message?.sd !== "supportdesk") return;
      if (message.type !== "loaded") return shutDown || !Object.hasOwn(fromChat, message.type) || fromChat[message.type](message);
      loaded = true;
      paint(message.color, message.position);
      const store = attempt(() => JSON.parse(localStorage.getItem(storageKey)));
      iframe.contentWindow.postMessage({ sd: "supportdesk", type: "boot", inbox: options.inbox, user, page: location.href, store }, ORIGIN);
      queue.splice(0).forEach((queued) => iframe.contentWindow.postMessage(queued, ORIGIN));
      if (open) post("open", { page: location.href });
      if (shutDown) forgotten(), setTimeout(remove, 500);
    };
    addEventListener("message", onMessage);
    button.onclick = () => (open ? hide() : show());
    button.onkeydown = (event) => {
      if (event.key === "Escape") hide(); // an on- handler that returns false would cancel the key
    };
    paint();
    render();
    window.requestIdleCallback ? requestIdleCallback(makeFrame) : setTimeout(makeFrame, 2000);
    return {
      inbox: options.inbox,
      remove,
      open: show,
      close: hide,
      toggle: button.onclick,
      identify: (given) => given && ((user = userOf(given)), loaded && post("identify", { user })),
      showNewMessage: (text) => (text != null && post("prefill", { text: `${text}` }), show()),
      // Forgets the visitor: the iframe clears its storage (loaded for that if need be), then everything goes.
      shutdown: () => {
        setUnread(0);
        attempt(() => localStorage.removeItem(storageKey));
        shutDown = true;
        open = false;
        panel.hidden = true;
        button.remove();
        makeFrame();
        post("shutdown");
        if (!loaded) (holdsForget = true), forgetting++;
        setTimeout(remove, loaded ? 500 : 9000);
      },
    };
  }

  function command(name, argument, callback) {
    try {
      if (!COMMANDS.includes(name)) {
        if (!warned.has(name)) console.warn("SupportDesk: unknown command", name);
        warned.add(name);
      } else if (name === "boot") {
        if (!argument?.inbox) console.warn("SupportDesk: boot needs {inbox}");
        else if (widget?.inbox !== argument.inbox) widget?.remove(), (widget = launch(argument));
      } else if (name === "on") {
        if (typeof callback === "function") (listeners[argument] ||= []).push(callback);
      } else if (widget) {
        widget[name](argument);
        if (name === "shutdown") widget = null;
      }
    } catch (error) {
      console.error(error);
    }
  }

  const start = () => {
    const queued = window.SupportDesk.q || [];
    const data = script.dataset;
    command.loaded = true;
    window.SupportDesk = command;
    if (data.inbox && !queued.some((call) => call[0] === "boot")) command("boot", { inbox: data.inbox, position: data.position, color: data.color, locale: data.locale });
    for (const call of queued) command(...call);
  };
  document.body ? start() : addEventListener("DOMContentLoaded", start);
})();
