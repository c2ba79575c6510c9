/* SupportDesk chat widget loader: a launcher on the host page that opens the chat in an iframe.
 * API: /widget.d.ts. Served minified (src/widget/loader.ts); it must stay within 3 KB brotli. */
(() => {
  if (window.SupportDesk?.loaded) return;
  // Calls made before <body> exists wait in the stub's queue, like calls made before this script ran.
  window.SupportDesk ||= function stub() { (stub.q = stub.q || []).push(arguments); };
  const STRINGS = __SD_STRINGS__;
  const LAUNCHER_CSS = __SD_LAUNCHER_CSS__; // public/embed/launcher.css
  const script = document.currentScript || document.querySelector('script[src*="/widget.js"]');
  const ORIGIN = new URL(script.src).origin;
  const COMMANDS = ["boot", "on", "open", "close", "toggle", "identify", "shutdown", "showNewMessage"];
  const CHAT_ICON = "M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z";
  const CLOSE_ICON = "M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z";
  const listeners = {}, warned = new Set();
  let widget = null, forgetting = 0; // forgetting: shut-down widgets whose iframe has yet to clear the visitor's storage

  const emit = (event, value) => (listeners[event] || []).forEach((callback) => { try { callback(value); } catch (error) { console.error(error); } });
  const attempt = (fn) => { try { return fn(); } catch {} };
  const isColour = (colour) => /^#([\da-f]{3}){1,2}$/i.test(colour);
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
    const strings = STRINGS[language], storageKey = `sd:${options.inbox}`, colour = isColour(options.color) ? options.color : "";
    const queue = []; // messages for the iframe until it has loaded
    let user = userOf(options.user), unread = 0, open = false, loaded = false, shutDown = false, holdsForget = false, iframe;
    const host = add(document.body, "supportdesk-widget"), root = host.attachShadow({ mode: "open" }), sheet = new CSSStyleSheet();
    // Hidden until the chat has loaded: a page that the inbox does not allow gets no launcher at all.
    host.style.display = "none";
    sheet.replaceSync(LAUNCHER_CSS);
    root.adoptedStyleSheets = [sheet];
    const button = add(root, "button", { type: "button" });
    const icon = add(add(button, "svg", { viewBox: "0 0 24 24", "aria-hidden": "true" }, true), "path", {}, true);
    const badge = add(button, "span", { class: "b", "aria-hidden": "true" });
    const panel = add(root, "div", { class: "p" });

    // The side and colour given to boot win; else the inbox's saved ones, which the iframe sends.
    const paint = (savedColour, savedSide) => {
      host.classList.toggle("left", (options.position || savedSide) === "left");
      host.style.setProperty("--sd-colour", colour || (isColour(savedColour) ? savedColour : "#2563eb"));
    };
    const render = () => {
      icon.setAttribute("d", open ? CLOSE_ICON : CHAT_ICON);
      button.setAttribute("aria-expanded", open);
      button.setAttribute("aria-label", (open ? strings.launcherClose : strings.launcherOpen) + (unread ? `, ${strings.launcherUnread.replace("{count}", unread)}` : ""));
      badge.textContent = unread > 9 ? "9+" : unread || ""; // empty: hidden by the stylesheet
      panel.hidden = !open;
    };
    const send = (message) => iframe.contentWindow.postMessage({ ...message, sd: "supportdesk" }, ORIGIN);
    const post = (type, fields) => (loaded ? send({ ...fields, type }) : queue.push({ ...fields, type }));
    const setUnread = (count) => {
      if (count !== unread) { unread = count; render(); emit("unreadCountChange", count); }
    };
    const makeFrame = () => {
      if (iframe) return;
      // A widget shut down before its iframe loaded: this one waits until the visitor is forgotten.
      if (forgetting && !shutDown) return setTimeout(makeFrame, 99);
      const query = new URLSearchParams({ inbox: options.inbox, origin: location.origin, locale: language, ...(colour && { color: colour }) });
      iframe = add(panel, "iframe", { title: "Chat", src: `${ORIGIN}/embed/widget?${query}` });
      if (open) iframe.focus();
    };
    const setOpen = (wanted) => {
      if (open === wanted) return;
      const hadFocus = document.activeElement === host;
      open = wanted;
      render();
      if (open) iframe ? iframe.focus() : makeFrame();
      if (loaded) post(open ? "open" : "close", { page: location.href });
      if (!open && hadFocus) button.focus();
      emit(open ? "open" : "close");
    };
    const forgotten = () => { if (holdsForget) { holdsForget = false; forgetting--; } };
    const remove = () => { forgotten(); host.remove(); removeEventListener("message", onMessage); };
    const fromChat = { ready: () => emit("ready"), unread: (m) => setUnread(m.count), message: (m) => emit("message", m.message), close: () => setOpen(false) };
    // The chat's state, kept in this page's storage when the browser refuses the iframe storage of its own.
    fromChat.store = (m) => attempt(() => localStorage.setItem(storageKey, JSON.stringify(m.data)));
    const onMessage = ({ data: message, origin, source }) => {
      if (origin !== ORIGIN || !iframe || source !== iframe.contentWindow || message?.sd !== "supportdesk") return;
      // The server refused this page's origin (the inbox's allowed websites): the site owner hears why.
      if (message.type === "refused") return console.warn(`SupportDesk: ${location.origin} is not one of this inbox's allowed websites, so the chat is not shown. Add it in Settings → Inboxes (scheme://host[:port]).`), remove();
      if (message.type !== "loaded") {
        if (!shutDown && Object.hasOwn(fromChat, message.type)) fromChat[message.type](message);
        return;
      }
      loaded = true;
      paint(message.color, message.position);
      host.style.display = "";
      send({ type: "boot", user, page: location.href, store: attempt(() => JSON.parse(localStorage.getItem(storageKey))) });
      queue.splice(0).forEach(send);
      if (open) post("open", { page: location.href });
      if (shutDown) { forgotten(); setTimeout(remove, 500); }
    };
    addEventListener("message", onMessage);
    button.onclick = () => setOpen(!open);
    // Not `=> key === "Escape" && ...`: an on- handler that returns false cancels the key (Enter's click).
    button.onkeydown = (event) => void (event.key === "Escape" && setOpen(false));
    render();
    window.requestIdleCallback ? requestIdleCallback(makeFrame, { timeout: 2000 }) : setTimeout(makeFrame, 500);
    return {
      inbox: options.inbox,
      remove,
      open: () => setOpen(true),
      close: () => setOpen(false),
      toggle: button.onclick,
      identify(given) { if (given) { user = userOf(given); if (loaded) post("identify", { user }); } },
      showNewMessage(text) { if (text != null) post("prefill", { text: `${text}` }); setOpen(true); },
      // Forgets the visitor: the iframe clears its storage (loaded for that if need be), then everything goes.
      shutdown() {
        setUnread(0);
        attempt(() => localStorage.removeItem(storageKey));
        shutDown = true; open = false; panel.hidden = true;
        button.remove();
        makeFrame();
        post("shutdown");
        if (!loaded) { holdsForget = true; forgetting++; }
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
        else if (widget?.inbox !== argument.inbox) { widget?.remove(); widget = launch(argument); }
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
    const queued = window.SupportDesk.q || [], data = script.dataset;
    command.loaded = true;
    window.SupportDesk = command;
    if (data.inbox && !queued.some((call) => call[0] === "boot")) command("boot", { inbox: data.inbox, position: data.position, color: data.color, locale: data.locale });
    for (const call of queued) command(...call);
  };
  document.body ? start() : addEventListener("DOMContentLoaded", start);
})();
