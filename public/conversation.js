// The open conversation pane (views/conversations/conversation-pane.tsx): messages, day headings and
// the reply form (fresh, with the next clientId, after each reply) are the server's. This adds what
// only a browser can do (Enter, typing frames, one copy per id, seq order, scrolling, "Seen", `after`).
(function () {
  "use strict";

  var TYPING_REPEAT_MS = 2000; // at most one "typing on" frame per 2 s
  var TYPING_IDLE_MS = 3000; // "typing off" after 3 s without a keystroke
  var NEAR_BOTTOM_PX = 80;

  function paneOf(el) { return el && el.closest ? el.closest("section.conversation") : null; }
  function isComposer(form) { return !!(form && form.classList.contains("composer")); }
  function seqOf(el) { return Number(el.getAttribute("data-seq")) || 0; }
  function seqs(pane, sender) {
    return Array.prototype.map.call(pane.querySelectorAll(".messages .message[data-seq]" + (sender ? '[data-sender="' + sender + '"]' : "")), seqOf);
  }
  function highest(list) { return Math.max.apply(null, [0].concat(list)); }

  // --- the reply form: typing frames (the pane's hidden hx-ws:send elements) and Enter ----------
  var typing = null; // { field, pane, lastOn, idle } while the agent is typing in a reply field
  function typingFrame(pane, on) {
    var sender = pane.querySelector(on ? ".typing-on-sender" : ".typing-off-sender");
    if (sender && sender.isConnected) sender.dispatchEvent(new Event(on ? "sd-typing-on" : "sd-typing-off"));
  }
  function typingStopped() {
    if (!typing) return;
    clearTimeout(typing.idle);
    typingFrame(typing.pane, false);
    typing = null;
  }
  document.addEventListener("input", function (event) {
    var field = event.target, pane = paneOf(field), text = field.value && field.value.trim();
    if (field.name !== "body" || !isComposer(field.form) || !pane) return;
    // A private note is no reply: the customer is not told that someone is typing one.
    var note = field.form.classList.contains("composer-note");
    // Another field (another pane, or the fresh form that answered a reply) starts anew.
    if (typing && (typing.field !== field || !text || note)) typingStopped();
    if (!text || note) return;
    typing = typing || { field: field, pane: pane, lastOn: 0 };
    if (Date.now() - typing.lastOn >= TYPING_REPEAT_MS) {
      typing.lastOn = Date.now();
      typingFrame(pane, true);
    }
    clearTimeout(typing.idle);
    typing.idle = setTimeout(typingStopped, TYPING_IDLE_MS);
  });
  // Enter sends, Shift+Enter adds a line (and so does Enter while an IME is composing).
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    if (field.tagName !== "TEXTAREA" || !isComposer(field.form)) return;
    event.preventDefault();
    // Files alone make a reply too (public/composer-files.js).
    if (field.value.trim() || field.form.querySelector(".pending-file")) field.form.requestSubmit();
  });

  // --- the transcript: entries come from the socket and from the reply form's answer -----------
  // Messages can arrive out of seq order (concurrent commits publish independently, the sweeper
  // repairs a lost publish later, a replay meets live pushes): an older one goes before the first newer.
  function added(pane, list, node) {
    // A copy of something shown already (a retried send, a catch-up, a day's heading): once, by id.
    if (node.id && document.getElementById(node.id) !== node) return node.remove();
    if (!node.classList.contains("message")) return;
    var sender = node.getAttribute("data-sender"), seq = seqOf(node);
    if (sender === "agent" && node.getAttribute("data-agent-id") === pane.getAttribute("data-viewer-id")) node.setAttribute("data-own", "true");
    else if (sender === "agent") colleagueReplied(pane, node.getAttribute("data-agent-id"));
    var later = Array.prototype.find.call(list.querySelectorAll(".message[data-seq]"), function (m) { return seqOf(m) > seq; });
    if (later && later.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) list.insertBefore(node, later);
    if (sender === "customer") seenSoon(pane);
  }

  // One observer for the whole document: new transcript entries here, and new viewer bars (below).
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      viewersAdded(record);
      var list = record.target, pane = paneOf(list);
      if (!pane || !list.classList.contains("messages")) return;
      var nodes = Array.prototype.filter.call(record.addedNodes, function (n) { return n.nodeType === 1; });
      // Whether the reader was at the end before these arrived: then the view follows them.
      var height = nodes.reduce(function (sum, n) { return sum + n.offsetHeight; }, 0);
      var follow = list.scrollHeight - height - list.scrollTop - list.clientHeight < NEAR_BOTTOM_PX;
      nodes.forEach(function (node) { if (node.parentNode === list) added(pane, list, node); });
      if (follow || nodes.some(function (n) { return n.isConnected && n.getAttribute("data-own") === "true"; })) list.scrollTop = list.scrollHeight;
    });
  }).observe(document.documentElement, { childList: true, subtree: true });

  // --- the collision guard (src/collision): the header's viewers, less this agent's own entry; and
  // a colleague's reply that lands while this agent's reply field holds text asks the server for
  // the notice above Send ("Ben replied while you were typing — review before sending").
  function colleagueReplied(pane, agentId) {
    var field = pane.querySelector("form.composer textarea[name=body]"), notice = pane.querySelector(".replied-notice");
    if (!agentId || !field || !field.value.trim() || !notice || !window.htmx) return;
    var id = pane.id.replace(/^conversation-/, "");
    htmx.ajax("GET", "/inbox/c/" + id + "/replied-notice?agent=" + encodeURIComponent(agentId), { target: "#" + notice.id, swap: "outerHTML" });
  }
  function hideOwnViewer(bar) {
    var pane = paneOf(bar), own = pane && pane.getAttribute("data-viewer-id");
    bar.querySelectorAll(".viewer").forEach(function (v) { v.hidden = v.getAttribute("data-agent-id") === own; });
  }
  function viewersAdded(record) {
    record.addedNodes.forEach(function (n) {
      if (n.nodeType !== 1) return;
      var bar = n.closest(".conversation-viewers");
      if (bar) hideOwnViewer(bar);
      else n.querySelectorAll(".conversation-viewers").forEach(hideOwnViewer);
    });
  }

  // --- the header's Snooze menu (a <details>): opened (a click or "z"), its first preset has the
  // focus; Escape closes it and gives the focus back to its button.
  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (menu.classList && menu.classList.contains("snooze-menu") && menu.open) menu.querySelector(".snooze-options button").focus();
  }, true);
  document.addEventListener("keydown", function (event) {
    var menu = event.key === "Escape" && event.target.closest && event.target.closest(".snooze-menu[open]");
    if (!menu) return;
    menu.open = false;
    menu.querySelector("summary").focus();
    event.preventDefault();
  });

  // --- "Seen" for the customer ------------------------------------------------------------------
  // A reason: the pane, in a visible tab, shows a customer message newer than what was reported
  // (data-agent-read-seq). Its seen-report form posts the highest seq shown a second after the last
  // reason, one request at a time: a burst costs one report (two if it outlasts one in flight), a
  // pane flicked past with j/k none, and a failed report waits for the next reason.
  function seenSoon(pane) {
    var form = pane.querySelector(".seen-report"), seq = highest(seqs(pane));
    if (!form || document.visibilityState !== "visible") return;
    if (highest(seqs(pane, "customer")) <= (Number(pane.getAttribute("data-agent-read-seq")) || 0)) return;
    form.elements.seq.value = String(seq);
    pane.setAttribute("data-agent-read-seq", String(seq));
    form.dispatchEvent(new Event("sd-seen"));
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") document.querySelectorAll("section.conversation").forEach(seenSoon);
  });

  // --- the view frame's `after`: the newest seq shown with none missing before it; the server
  // replays from there, so nothing committed since the render or while the socket was down is lost.
  document.addEventListener("htmx:ws:before:message:outgoing", function (event) {
    var values = event.detail && event.detail.message && event.detail.message.values;
    var pane = values && values.type === "view" && document.getElementById("conversation-" + values.conversation);
    if (!pane || !pane.hasAttribute("data-rendered-seq")) return;
    var shown = seqs(pane), after = Number(pane.getAttribute("data-rendered-seq")) || 0;
    while (shown.indexOf(after + 1) >= 0) after++;
    values.after = after;
  });

  // A pane that opens (with the page, a row, Claim, history; processed by htmx) shows its newest entry.
  document.addEventListener("htmx:after:process", function () {
    document.querySelectorAll("section.conversation:not([data-opened])").forEach(function (pane) {
      pane.setAttribute("data-opened", "");
      var list = pane.querySelector(".messages");
      if (list) list.scrollTop = list.scrollHeight;
      seenSoon(pane);
    });
  });
})();
