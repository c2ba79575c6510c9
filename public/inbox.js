// The inbox page's enhancements: the open row, keys, and the sounds and desktop
// notifications the server decides (src/conversations/agent-notifications.ts). Which rows the list
// shows, and in which order, is the server's (public/live.js makes the list refresh itself).
// Plain ES2019, no build step, no inline handlers (the page's CSP allows only our own scripts).
(function () {
  "use strict";
  function byId(id) { return document.getElementById(id); }
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("#conv-list > li.conversation-row")); }

  // --- the open conversation: marked at once here; the list's refreshes mark it (#conv-list-selected)
  function select(id) {
    byId("conv-list-selected").value = id || "";
    rows().forEach(function (row) {
      var link = row.querySelector(".row-link");
      if (row.getAttribute("data-id") === id) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
  }
  function fromUrl() { var m = /^\/inbox\/c\/([0-9a-f-]{36})$/i.exec(location.pathname); return m ? m[1] : ""; }
  // Opened by Accept or a notification; a change of tab (no conversation in the URL) keeps it open.
  // (Back and forward: htmx swaps in the whole page, rendered with the open conversation marked.)
  document.addEventListener("htmx:after:history:update", function () { if (fromUrl()) select(fromUrl()); });

  // --- sounds and desktop notifications; the saved choices are on the form #inbox-prefs --------
  function choice(name) { var form = byId("inbox-prefs"); return !!form && form.getAttribute("data-notify-" + name) === "on"; }
  var sound = new Audio("/public/notify.wav");
  // Browsers refuse to play until the agent has clicked or typed on the page: then it is silent.
  function beep() { sound.currentTime = 0; sound.play().catch(function () {}); }
  function permission() { return "Notification" in window ? Notification.permission : "unsupported"; }
  // A data-only frame {"notify": {title, body, conversation}} from the agents' socket.
  document.addEventListener("htmx:ws:after:message:incoming", function (event) {
    var data = event.detail.message && event.detail.message.data;
    var n = typeof data === "string" && data.charAt(0) === "{" && data.indexOf('"notify"') > 0 && JSON.parse(data).notify;
    if (!n) return;
    if (choice("sound")) beep();
    if (!choice("desktop") || permission() !== "granted" || document.visibilityState === "visible") return;
    var shown = new Notification(n.title, { body: n.body, tag: "sd-" + n.conversation });
    shown.onclick = function () {
      window.focus();
      htmx.ajax("GET", "/inbox/c/" + n.conversation, { target: "#pane", swap: "innerHTML", push: "true" });
      shown.close();
    };
  });

  // What stands between a ticked Desktop and a notification on this browser, said beside it.
  function hint(text) { var el = byId("pref-hint"); if (el && text) { el.textContent = text; el.hidden = false; } }
  function showPermission() {
    var wanted = choice("desktop"), state = permission(), allow = byId("pref-desktop-allow");
    if (allow) allow.hidden = !(wanted && state === "default");
    if (wanted && state === "denied") hint("This browser blocks notifications from this site: allow them in its site settings.");
    if (wanted && state === "unsupported") hint("This browser cannot show desktop notifications.");
  }
  function askPermission() { if (permission() === "default") Notification.requestPermission().then(showPermission); }
  document.addEventListener("change", function (event) {
    if (event.target.id === "pref-sound" && event.target.checked) beep(); // what it will sound like
    if (event.target.id === "pref-desktop" && event.target.checked) askPermission(); // the tick is the gesture browsers want
  });
  ["htmx:response:error", "htmx:error"].forEach(function (failed) {
    document.addEventListener(failed, function (event) {
      if (event.target.id !== "inbox-prefs") return;
      event.target.reset(); // back to what the server last said was saved
      hint("Your choice was not saved. Check your connection and try again.");
    });
  });

  // --- after any swap: the open row (a pushed row comes unmarked), the permission state
  function refresh() { select(byId("conv-list-selected").value); showPermission(); }
  document.addEventListener("htmx:after:swap", refresh); // once per swap: a push of many rows is one pass
  // --- keyboard (views/inbox/shortcuts-dialog.tsx lists them); none while typing in a field ------
  function typing(el) {
    return el.isContentEditable || /^(TEXTAREA|SELECT)$/.test(el.tagName) || (el.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset|range|color)$/.test(el.type));
  }
  function openShortcuts() { var dialog = byId("shortcuts-dialog"); if (!dialog.open) dialog.showModal(); }
  function move(step) {
    var all = rows(), index = all.findIndex(function (row) { return row.getAttribute("data-id") === byId("conv-list-selected").value; });
    var next = index < 0 ? all[step > 0 ? 0 : all.length - 1] : all[index + step];
    if (!next) return;
    var link = next.querySelector(".row-link");
    link.click();
    link.focus();
    link.scrollIntoView({ block: "nearest" });
  }
  function press(key) {
    var button = document.querySelector('#pane [data-shortcut="' + key + '"]');
    if (!button || button.disabled) return;
    // A menu's button ("Labels") takes the focus first: the menu gives it back there when it closes.
    if (button.hasAttribute("popovertarget")) button.focus();
    button.click();
  }
  var KEYS = { j: move.bind(null, 1), k: move.bind(null, -1), a: press.bind(null, "a"), c: press.bind(null, "c"), l: press.bind(null, "l"), z: press.bind(null, "z"), "?": openShortcuts,
    "/": function () { byId("inbox-search-q").focus(); byId("inbox-search-q").select(); } };
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (!KEYS.hasOwnProperty(event.key) || typing(event.target) || document.querySelector("dialog[open]")) return;
    KEYS[event.key]();
    event.preventDefault();
  });
  // A menu opening (the conversation's "Labels"): focus its first choice, for the keyboard. Toggle
  // events do not bubble, hence the capture; closing gives the focus back to its button by itself.
  document.addEventListener("toggle", function (event) {
    var first = event.newState === "open" && event.target.classList.contains("labels-menu") && event.target.querySelector("input");
    if (first) first.focus();
  }, true);
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : document.body;
    if (target.closest(".row-link")) select(target.closest(".conversation-row").getAttribute("data-id"));
    else if (target.closest("[data-open-shortcuts]")) openShortcuts();
    else if (target.closest("#pref-desktop-allow")) askPermission();
  });

  refresh();
})();
