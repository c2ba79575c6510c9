// The open conversation pane (views/conversations/conversation-pane.tsx): the reply form's keys
// and typing frames, and the transcript's live additions. Plain ES2019, no inline handlers: every
// listener is delegated from the document, so panes swapped in by htmx need no setup.
(function () {
  "use strict";

  var TYPING_REPEAT_MS = 2000; // at most one "typing on" frame per 2 s
  var TYPING_IDLE_MS = 3000; // "typing off" after 3 s without a keystroke
  var NEAR_BOTTOM_PX = 80;

  function paneOf(el) {
    return el && el.closest ? el.closest("section.conversation") : null;
  }

  function isComposer(el) {
    return !!(el && el.classList && el.classList.contains("composer"));
  }

  // --- typing frames, through the hidden hx-ws:send elements of the pane ---------------------

  var typing = { pane: null, lastOn: 0, idle: null };

  function fire(pane, which) {
    var sender = pane && pane.querySelector(which === "on" ? ".typing-on-sender" : ".typing-off-sender");
    if (sender && sender.isConnected) sender.dispatchEvent(new Event(which === "on" ? "sd-typing-on" : "sd-typing-off"));
  }

  function typingStopped() {
    if (typing.idle) clearTimeout(typing.idle);
    typing.idle = null;
    if (typing.pane) fire(typing.pane, "off");
    typing.pane = null;
    typing.lastOn = 0;
  }

  function typed(pane) {
    if (typing.pane && typing.pane !== pane) typingStopped();
    var now = Date.now();
    if (!typing.pane || now - typing.lastOn >= TYPING_REPEAT_MS) {
      typing.pane = pane;
      typing.lastOn = now;
      fire(pane, "on");
    }
    if (typing.idle) clearTimeout(typing.idle);
    typing.idle = setTimeout(typingStopped, TYPING_IDLE_MS);
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field || field.name !== "body" || !isComposer(field.form)) return;
    if (field.value.trim()) typed(paneOf(field));
    else if (typing.pane) typingStopped();
  });

  // --- the reply form -----------------------------------------------------------------------

  // Enter sends, Shift+Enter adds a line (and so does Enter while an IME is composing).
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    if (!field || field.tagName !== "TEXTAREA" || !isComposer(field.form)) return;
    event.preventDefault();
    if (!field.value.trim()) return;
    if (field.form.requestSubmit) field.form.requestSubmit();
    else field.form.querySelector('button[type="submit"]').click();
  });

  // Each reply carries an id of its own, so a resubmitted form is recognised as the same message.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!isComposer(form)) return;
      var field = form.querySelector('input[name="clientId"]');
      if (field && !field.value) field.value = crypto.randomUUID();
      if (typing.pane === paneOf(form)) typingStopped();
    },
    true
  );

  document.addEventListener("htmx:after:request", function (event) {
    var form = event.target;
    if (!isComposer(form)) return;
    var ctx = event.detail && event.detail.ctx;
    var response = ctx && ctx.response;
    var status = response ? response.status : 0;
    // No answer at all (offline): keep the id, so sending again cannot store the message twice.
    if (!status) return;
    var clientId = form.querySelector('input[name="clientId"]');
    // A hidden input's value is its attribute, which form.reset() keeps: clear it explicitly.
    if (clientId) clientId.value = "";
    if (status < 300) {
      var field = form.querySelector('textarea[name="body"]');
      if (field) {
        field.value = "";
        field.removeAttribute("aria-invalid");
      }
      var error = form.querySelector(".composer-error");
      if (error) error.textContent = "";
    } else {
      var body = form.querySelector('textarea[name="body"]');
      if (body) body.setAttribute("aria-invalid", "true");
    }
  });

  // --- the transcript -----------------------------------------------------------------------

  function dayOf(el) {
    var at = el.getAttribute("data-at");
    return at ? at.slice(0, 10) : null;
  }

  function dayLabel(day) {
    var now = new Date();
    if (day === now.toISOString().slice(0, 10)) return "Today";
    if (day === new Date(now.getTime() - 86400000).toISOString().slice(0, 10)) return "Yesterday";
    return day;
  }

  function isEntry(node) {
    return node.nodeType === 1 && (node.classList.contains("message") || node.classList.contains("conversation-event"));
  }

  // Whether the reader was at the end before `node` arrived (then the view follows new entries).
  function wasNearBottom(list, node) {
    return list.scrollHeight - node.offsetHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM_PX;
  }

  // The nearest message before `node`, walking back over events and day headings.
  function previousMessage(node) {
    var el = node.previousElementSibling;
    while (el && !(el.classList.contains("message") && el.hasAttribute("data-seq"))) el = el.previousElementSibling;
    return el;
  }

  // A pushed message lands in seq order (a catch-up can bring an older one after a newer one).
  function placeBySeq(list, node) {
    var seq = Number(node.getAttribute("data-seq"));
    // The usual case, without reading the whole transcript: the transcript before it is in order,
    // so when the message just before it is older (or there is none) it is in place.
    var previous = previousMessage(node);
    if (!previous || Number(previous.getAttribute("data-seq")) < seq) return;
    var messages = list.querySelectorAll(".message[data-seq]");
    for (var i = 0; i < messages.length; i++) {
      var other = messages[i];
      if (other === node) continue;
      if (Number(other.getAttribute("data-seq")) > seq) {
        // Only move it if it is after the first later message.
        if (other.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) {
          var before = other.previousElementSibling;
          list.insertBefore(node, before && before.classList.contains("day-heading") && dayOf(other) !== null ? before : other);
        }
        return;
      }
    }
  }

  // A pushed entry of a day the transcript has no heading for yet gets one.
  function headDay(list, node) {
    if (node !== list.lastElementChild) return;
    var day = dayOf(node);
    if (!day) return;
    // The transcript's last heading: the nearest one before its last entry.
    var last = node.previousElementSibling;
    while (last && !last.classList.contains("day-heading")) last = last.previousElementSibling;
    if (last && last.getAttribute("data-day") === day) return;
    var heading = document.createElement("h3");
    heading.className = "day-heading";
    heading.setAttribute("data-day", day);
    var time = document.createElement("time");
    time.setAttribute("datetime", day);
    time.textContent = dayLabel(day);
    heading.appendChild(time);
    list.insertBefore(heading, node);
  }

  function added(list, node, follow) {
    if (!node.isConnected || node.parentNode !== list) return;
    if (node.id && document.getElementById(node.id) !== node) {
      // A copy of something shown already (a retried send, a catch-up): shown once, by its id.
      node.remove();
      return;
    }
    if (node.classList.contains("message")) {
      var pane = paneOf(list);
      var viewer = pane && pane.getAttribute("data-viewer-id");
      if (viewer && node.getAttribute("data-sender") === "agent" && node.getAttribute("data-agent-id") === viewer) {
        node.setAttribute("data-own", "true");
      }
      placeBySeq(list, node);
      if (pane && node.getAttribute("data-sender") === "customer") seen.soon(pane);
    }
    headDay(list, node);
    if (follow) list.scrollTop = list.scrollHeight;
  }

  function opened(pane) {
    var list = pane.querySelector(".messages");
    if (list) list.scrollTop = list.scrollHeight;
  }

  // Entries reach the transcript from the socket (out of band) and from the reply form's answer.
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      var target = record.target;
      if (target.nodeType !== 1 || !target.classList.contains("messages")) return;
      record.addedNodes.forEach(function (node) {
        if (isEntry(node)) added(target, node, wasNearBottom(target, node) || node.getAttribute("data-own") === "true");
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });

  // --- what the agent has seen: "Seen" for the customer ---------------------------------------
  // POST /inbox/c/:id/viewed with the highest seq the pane shows, when the pane is shown in a
  // visible tab and has a customer message newer than what was reported (the server renders that
  // as data-agent-read-seq). Coalesced: at most one request per pane a second, made a second after
  // the first reason, so a burst of messages costs one request, and a pane only flicked past with
  // j/k reports nothing. A failed report is made again with the next reason.

  var SEEN_DELAY_MS = 1000;

  function seqsOf(pane, sender) {
    var selector = sender ? '.messages .message[data-sender="' + sender + '"][data-seq]' : ".messages .message[data-seq]";
    return Array.prototype.map.call(pane.querySelectorAll(selector), function (el) { return Number(el.getAttribute("data-seq")) || 0; });
  }

  function highest(seqs) {
    return seqs.reduce(function (a, b) { return Math.max(a, b); }, 0);
  }

  var seen = {
    timers: {},
    inFlight: {},

    soon: function (pane) {
      var id = pane.getAttribute("data-conversation-id");
      if (!id || seen.timers[id] || document.visibilityState !== "visible") return;
      seen.timers[id] = setTimeout(function () {
        delete seen.timers[id];
        seen.report(id);
      }, SEEN_DELAY_MS);
    },

    report: function (id) {
      var pane = document.getElementById("conversation-" + id);
      if (!pane || document.visibilityState !== "visible") return;
      if (seen.inFlight[id]) {
        seen.inFlight[id].again = true;
        return;
      }
      var reported = Number(pane.getAttribute("data-agent-read-seq")) || 0;
      if (highest(seqsOf(pane, "customer")) <= reported) return; // nothing new from the customer
      var seq = highest(seqsOf(pane, null));
      var flight = (seen.inFlight[id] = { again: false });
      // Same-origin: the browser sends Origin and Sec-Fetch-Site, which the server's guard checks.
      fetch("/inbox/c/" + id + "/viewed", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "seq=" + seq
      })
        .then(function (response) {
          if (response.ok && Number(pane.getAttribute("data-agent-read-seq")) < seq) pane.setAttribute("data-agent-read-seq", String(seq));
        })
        .catch(function () { /* offline: the next reason reports again */ })
        .then(function () {
          delete seen.inFlight[id];
          if (flight.again) seen.soon(pane);
        });
    },

    everyOpenPane: function () {
      document.querySelectorAll("section.conversation").forEach(seen.soon);
    }
  };

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") seen.everyOpenPane();
  });

  // --- following the open conversation over the socket ----------------------------------------
  // The pane's `view` frame (hx-ws:send) gets `after`: the newest seq the transcript holds with
  // none missing before it. The server replays what came later, so a message committed between
  // the pane's render and the frame, or while the socket was down, is not lost.

  function newestUnbroken(pane) {
    var have = {};
    seqsOf(pane, null).forEach(function (seq) { have[seq] = true; });
    var seq = Number(pane.getAttribute("data-rendered-seq")) || 0;
    while (have[seq + 1]) seq++;
    return seq;
  }

  document.addEventListener("htmx:ws:before:message:outgoing", function (event) {
    var message = event.detail && event.detail.message;
    var values = message && message.values;
    if (!values || values.type !== "view" || !values.conversation) return;
    var pane = document.getElementById("conversation-" + values.conversation);
    if (pane && pane.hasAttribute("data-rendered-seq")) values.after = newestUnbroken(pane);
  });

  // A pane opens with a request's swap (a row, Accept, history): it starts at its newest entry.
  var shown = new WeakSet();
  function openNew() {
    document.querySelectorAll("section.conversation").forEach(function (pane) {
      if (shown.has(pane)) return;
      shown.add(pane);
      opened(pane);
      seen.soon(pane);
    });
  }
  document.addEventListener("htmx:after:swap", function (event) {
    var ctx = event.detail && event.detail.ctx;
    if (ctx && !ctx.request) return; // socket frames add to a pane, never open one
    openNew();
  });

  openNew();
})();
