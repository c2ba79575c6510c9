// Shows when the inbox has lost its live connection. htmx's ws extension reconnects by itself,
// and the server pushes the "Live" status again once the new socket is subscribed.
document.addEventListener("htmx:ws:close", function () {
  var status = document.getElementById("live-status");
  if (!status) return;
  status.dataset.state = "reconnecting";
  status.textContent = "Reconnecting…";
});

// The reply form and the transcript (ids, dedupe by message id) are public/conversation.js's.

// ---------------------------------------------------------------------------------------------
// The list: live rows in the right tab, relative times, counts, title, keyboard, notifications.
// Plain ES2019, no build step, no inline handlers (the page's CSP allows only our own scripts).
// ---------------------------------------------------------------------------------------------
(function () {
  var COUNTS_DELAY_MS = 1500;
  var UUID_IN_PATH = /^\/inbox\/c\/([0-9a-f-]{36})$/i;

  function inbox() { return document.querySelector(".inbox"); }
  function me() { var r = inbox(); return r ? r.getAttribute("data-agent-id") : null; }
  function list() { return document.getElementById("conv-list"); }
  // The server renders the tab (its default included) on the list and on the tab bar.
  function currentTab() {
    var l = list();
    var link = document.querySelector('#inbox-tabs a[aria-current="page"]');
    return (l && l.getAttribute("data-tab")) || (link && link.getAttribute("data-tab")) || "";
  }
  function searchField() { return document.getElementById("inbox-search-q"); }
  function searching() { var f = searchField(); return !!(f && f.value.trim()); }
  function rows() {
    var l = list();
    return l ? Array.prototype.slice.call(l.querySelectorAll(":scope > li.conversation-row")) : [];
  }

  /** Which tab a row belongs to, from its data attributes (the same rules as queries.tabFilter). */
  function matchesTab(row, tab) {
    var status = row.getAttribute("data-status");
    if (tab === "queue") return status === "queued";
    if (tab === "mine") return status !== "closed" && row.getAttribute("data-assignee-id") === me();
    if (tab === "closed") return status === "closed";
    return status !== "closed";
  }

  // --- "2 min ago": public/relative-time.js, loaded before this script ----------------------
  var renderTimes = window.renderRelativeTimes;

  // --- per viewer: "You: " and the open conversation ----------------------------------------
  var selectedId = null;
  function selectedFromUrl() {
    var m = UUID_IN_PATH.exec(location.pathname);
    if (m) return m[1];
    var r = inbox();
    return r && r.getAttribute("data-selected-id");
  }
  // Every row, or only `only` (the rows a push just brought).
  function markRows(only) {
    var mine = me();
    var scope = only || [document];
    if (mine) {
      var own = '.row-author[data-author-id="' + CSS.escape(mine) + '"]';
      scope.forEach(function (root) {
        root.querySelectorAll(own).forEach(function (el) { el.textContent = "You: "; });
      });
    }
    (only || rows()).forEach(function (row) {
      var link = row.querySelector(".row-link");
      if (!link) return;
      if (row.getAttribute("data-id") === selectedId) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
  }
  function select(id) {
    selectedId = id;
    markRows();
  }

  // --- live rows ----------------------------------------------------------------------------
  // htmx swaps a pushed row (hx-swap-oob) only where an element with its id exists, and drops it
  // otherwise. So before the swap, a row new to this list gets an empty placeholder where it
  // belongs (if it belongs to this tab); after the swap, rows that left the tab are removed and
  // the order by last activity is restored.
  function placeFor(activity) {
    var all = rows();
    for (var i = 0; i < all.length; i++) {
      if ((all[i].getAttribute("data-activity") || "") < activity) return all[i];
    }
    return null;
  }
  function addPlaceholder(pushed) {
    var l = list();
    if (!l || document.getElementById(pushed.id) || searching() || !matchesTab(pushed, currentTab())) return;
    var activity = pushed.getAttribute("data-activity") || "";
    var before = placeFor(activity);
    var more = l.querySelector(":scope > li.load-more:last-child");
    // Older than every row shown while more pages exist: it belongs to a page not loaded yet.
    if (!before && more) return;
    var placeholder = document.createElement("li");
    placeholder.id = pushed.id;
    placeholder.className = "conversation-row";
    placeholder.setAttribute("data-activity", activity);
    l.insertBefore(placeholder, before || more || null);
    var empty = l.querySelector(":scope > li.list-empty");
    if (empty) empty.remove();
  }

  document.addEventListener(
    "submit",
    function (e) {
      // Marked on the row's error box, which live pushes of the row keep (hx-preserve).
      var row = e.target.classList && e.target.classList.contains("row-accept") && e.target.closest(".conversation-row");
      var error = row && row.querySelector(".row-error");
      if (error) error.setAttribute("data-accepting", "true");
    },
    true,
  );

  function arrange() {
    var l = list();
    if (!l) return;
    var tab = currentTab();
    var seen = {};
    rows().forEach(function (row) {
      if (seen[row.id]) { row.remove(); return; }
      seen[row.id] = true;
      if (matchesTab(row, tab)) return;
      var error = row.querySelector(".row-error");
      // "Ana already took this conversation." stays readable a moment before the row goes. A row
      // whose Accept is on its way stays too: the colleague's claim can be pushed before our answer.
      if (error && (error.textContent.trim() || error.hasAttribute("data-accepting"))) {
        row.setAttribute("data-leaving", "true");
        setTimeout(function () { if (!matchesTab(row, currentTab())) row.remove(); }, 5000);
      } else {
        row.remove();
      }
    });
    var ordered = rows();
    var sorted = ordered.slice().sort(function (a, b) {
      var x = a.getAttribute("data-activity") || "", y = b.getAttribute("data-activity") || "";
      return x < y ? 1 : x > y ? -1 : 0;
    });
    var changed = sorted.some(function (row, i) { return row !== ordered[i]; });
    if (changed) {
      var focused = document.activeElement;
      var anchor = l.querySelector(":scope > li.load-more:last-child");
      sorted.forEach(function (row) { l.insertBefore(row, anchor); });
      if (focused && focused !== document.activeElement && document.contains(focused)) focused.focus();
    }
  }

  // --- counts and the title -------------------------------------------------------------------
  // Counts come from the server (GET /inbox/counts: one statement, each count capped), fetched a
  // moment after pushes so that a burst of changes costs one request per agent.
  var countsTimer = null;
  function refreshCounts() {
    clearTimeout(countsTimer);
    countsTimer = setTimeout(function () {
      if (window.htmx && document.getElementById("inbox-tabs")) {
        htmx.ajax("GET", "/inbox/counts?tab=" + encodeURIComponent(currentTab()), { target: "#inbox-tabs", swap: "outerHTML" });
      }
    }, COUNTS_DELAY_MS);
  }
  // The tab bar carries the title with the count of what needs attention (views/inbox/inbox-tabs.tsx).
  var titledBy = null;
  function updateTitle() {
    var tabs = document.getElementById("inbox-tabs");
    if (!tabs || tabs === titledBy) return; // the bar has not been swapped since
    titledBy = tabs;
    var title = tabs.getAttribute("data-title");
    if (title) document.title = title;
  }

  // --- sound and desktop notifications --------------------------------------------------------
  // The agent's choices live on their profile (/settings/profile); the page carries them on .inbox
  // (data-notify-sound, data-notify-desktop), and the checkboxes here change the same choices.
  // Desktop notifications also need this browser's permission, asked only from a click or a tick.
  function choice(name) { var r = inbox(); return !!r && r.getAttribute("data-notify-" + name) === "on"; }
  function setChoice(name, on) { var r = inbox(); if (r) r.setAttribute("data-notify-" + name, on ? "on" : "off"); }
  function prefBox(name) { return document.getElementById("pref-" + name); }

  var audio = null;
  function unlockAudio() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    if (!audio) audio = new Ctx();
    if (audio.state === "suspended") audio.resume();
  }
  document.addEventListener("pointerdown", unlockAudio, { once: true });
  document.addEventListener("keydown", unlockAudio, { once: true });
  function beep() {
    if (!choice("sound") || !audio || audio.state !== "running") return;
    var t = audio.currentTime, osc = audio.createOscillator(), gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.15, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
    osc.connect(gain).connect(audio.destination);
    osc.start(t);
    osc.stop(t + 0.32);
  }
  function permission() { return "Notification" in window ? Notification.permission : "unsupported"; }
  function desktopAllowed() { return choice("desktop") && permission() === "granted"; }
  function announce(title, body, id) {
    beep();
    if (!desktopAllowed() || document.visibilityState === "visible") return;
    var n = new Notification(title, { body: body, tag: "sd-" + id });
    n.onclick = function () {
      window.focus();
      var row = document.getElementById("conv-row-" + id);
      var link = row && row.querySelector(".row-link");
      if (link) link.click();
      n.close();
    };
  }

  // What stands between the saved choice and a notification on this browser, said beside it.
  function showPrefState(problem) {
    var hint = document.getElementById("pref-hint");
    var allow = document.getElementById("pref-desktop-allow");
    var wanted = choice("desktop"), state = permission();
    var text = problem || "";
    if (!text && wanted && state === "denied") text = "This browser blocks notifications from this site: allow them in its site settings.";
    if (!text && wanted && state === "unsupported") text = "This browser cannot show desktop notifications.";
    if (hint) { hint.textContent = text; hint.hidden = !text; }
    if (allow) allow.hidden = !(wanted && state === "default");
  }
  function initPrefs() {
    var sound = prefBox("sound"), desktop = prefBox("desktop");
    if (sound) sound.checked = choice("sound");
    if (desktop) desktop.checked = choice("desktop");
    showPrefState();
  }

  // Saves both choices to the profile (the same form /settings/profile posts; a script's request
  // is answered 204). Same-origin, so the browser sends what the server's Origin check wants.
  function savePrefs() {
    // Both fields always: with both choices off, a form of nothing is an empty body, which the
    // server refuses. "off" is what an unticked box means to it (anything but "on").
    var form = new URLSearchParams();
    form.set("sound", choice("sound") ? "on" : "off");
    form.set("desktop", choice("desktop") ? "on" : "off");
    return fetch("/settings/profile/notifications", {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", "hx-request": "true" },
      body: form.toString()
    }).then(function (response) { return response.status === 204; }, function () { return false; });
  }
  function change(name, on) {
    var before = choice(name);
    setChoice(name, on);
    showPrefState();
    savePrefs().then(function (saved) {
      if (saved) return;
      setChoice(name, before);
      var box = prefBox(name);
      if (box) box.checked = before;
      showPrefState("Your choice was not saved. Check your connection and try again.");
    });
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || !box.matches || !box.matches("input[data-pref]")) return;
    if (box.getAttribute("data-pref") === "sound") {
      change("sound", box.checked);
      if (box.checked) { unlockAudio(); beep(); } // a sample of what it will sound like
      return;
    }
    if (!box.checked) { change("desktop", false); return; }
    if (permission() === "unsupported") { box.checked = false; showPrefState("This browser cannot show desktop notifications."); return; }
    if (permission() === "granted") { change("desktop", true); return; }
    // The tick is the user gesture that browsers require before they ask.
    Notification.requestPermission().then(function (answer) {
      if (answer === "granted") return change("desktop", true);
      box.checked = false;
      showPrefState(answer === "denied" ? "This browser blocks notifications from this site: allow them in its site settings." : "");
    });
  });
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest && event.target.closest("#pref-desktop-allow");
    if (!button || permission() !== "default") return;
    Notification.requestPermission().then(function () { showPrefState(); });
  });

  // What each conversation looked like when last seen, to tell a new queued conversation or a
  // new message in "Mine" from any other change of its row.
  var known = {};
  function remember(row) {
    known[row.getAttribute("data-id")] = { status: row.getAttribute("data-status"), activity: row.getAttribute("data-activity") || "" };
  }
  function noticeChange(pushed) {
    var id = pushed.getAttribute("data-id");
    if (!id) return;
    var before = known[id];
    remember(pushed);
    var status = pushed.getAttribute("data-status");
    var activity = pushed.getAttribute("data-activity") || "";
    var name = pushed.getAttribute("data-name") || "Visitor";
    var text = pushed.querySelector(".row-text");
    if (status === "queued" && (!before || before.status !== "queued")) {
      announce("New conversation waiting", name, id);
    } else if (
      status !== "closed" && pushed.getAttribute("data-assignee-id") === me() && pushed.hasAttribute("data-needs-attention") &&
      (before ? activity > before.activity : Date.now() - Date.parse(activity) < 30000)
    ) {
      announce("New message from " + name, text ? text.textContent : "", id);
    }
  }

  // --- wiring -------------------------------------------------------------------------------
  // Socket frames are handled here, and only the rows they bring; other swaps in htmx:after:swap.
  var pushedIds = new WeakMap(); // frame -> ids of the rows it brings
  document.addEventListener("htmx:ws:before:message:incoming", function (event) {
    var message = event.detail && event.detail.message;
    if (!message || typeof message.data !== "string" || message.data.indexOf("conv-row-") < 0) return;
    var template = document.createElement("template");
    template.innerHTML = message.data; // parsed inert: nothing in a template runs or loads
    var ids = [];
    template.content.querySelectorAll("li.conversation-row[hx-swap-oob]").forEach(function (pushed) {
      ids.push(pushed.id);
      noticeChange(pushed);
      addPlaceholder(pushed);
    });
    pushedIds.set(message, ids);
  });
  document.addEventListener("htmx:ws:after:message:incoming", function (event) {
    var message = event.detail && event.detail.message;
    if (!message || typeof message.data !== "string" || message.data.indexOf("conv-row-") < 0) return;
    arrange();
    var pushed = (pushedIds.get(message) || []).map(function (id) { return document.getElementById(id); }).filter(Boolean);
    markRows(pushed);
    pushed.forEach(renderTimes);
    refreshCounts();
  });

  // After a reconnect the list re-fetches itself: whatever was pushed meanwhile is caught up.
  var connectedBefore = false;
  document.addEventListener("htmx:ws:after:connection", function () {
    if (connectedBefore && window.htmx && list()) {
      var params = new URLSearchParams({ tab: currentTab() });
      var field = searchField();
      if (field && field.value.trim()) params.set("q", field.value.trim());
      htmx.ajax("GET", "/inbox/list?" + params, { target: "#conv-list", swap: "innerHTML" });
      refreshCounts();
    }
    connectedBefore = true;
  });

  document.addEventListener("htmx:after:swap", function (event) {
    var ctx = event.detail && event.detail.ctx;
    if (ctx && !ctx.request) return; // a socket frame (no request): handled above
    rows().forEach(function (row) { if (!known[row.getAttribute("data-id")]) remember(row); });
    markRows();
    renderTimes(document);
    updateTitle();
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target || !target.closest) return;
    var link = target.closest(".row-link");
    if (link) {
      var row = link.closest(".conversation-row");
      if (row) select(row.getAttribute("data-id"));
      return;
    }
    if (target.closest("[data-open-shortcuts]")) openShortcuts();
  });
  document.addEventListener("htmx:before:request", function (event) {
    var form = event.target;
    if (form && form.classList && form.classList.contains("row-accept")) {
      var error = form.parentNode && form.parentNode.querySelector(".row-error");
      if (error) error.textContent = "";
    }
  });
  document.addEventListener("htmx:after:request", function (event) {
    var form = event.target;
    var ctx = event.detail && event.detail.ctx;
    if (!form || !form.classList || !form.classList.contains("row-accept") || !ctx || !ctx.response) return;
    var row = form.closest(".conversation-row");
    if (ctx.response.status < 300 && row) select(row.getAttribute("data-id"));
  });
  window.addEventListener("popstate", function () { select(selectedFromUrl()); });

  // --- keyboard -----------------------------------------------------------------------------
  function typing(el) {
    if (!el || el === document.body) return false;
    if (el.isContentEditable) return true;
    if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    return el.tagName === "INPUT" && !/^(checkbox|radio|button|submit|reset|range|color)$/.test(el.type);
  }
  function openShortcuts() {
    var dialog = document.getElementById("shortcuts-dialog");
    if (dialog && !dialog.open && dialog.showModal) dialog.showModal();
  }
  function move(step) {
    var all = rows().filter(function (row) { return row.querySelector(".row-link"); });
    if (!all.length) return;
    var index = -1;
    all.forEach(function (row, i) { if (row.getAttribute("data-id") === selectedId) index = i; });
    var next = index < 0 ? (step > 0 ? all[0] : all[all.length - 1]) : all[index + step];
    if (!next) return;
    var link = next.querySelector(".row-link");
    link.click();
    link.focus();
    link.scrollIntoView({ block: "nearest" });
  }
  function press(key) {
    var button = document.querySelector('#pane [data-shortcut="' + key + '"]');
    if (button && !button.disabled) button.click();
  }
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typing(event.target) || document.querySelector("dialog[open]")) return;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": press("a"); break;
      case "c": press("c"); break;
      case "/": {
        var field = searchField();
        if (!field) return;
        field.focus();
        field.select();
        break;
      }
      case "?": openShortcuts(); break;
      default: return;
    }
    event.preventDefault();
  });

  function start() {
    selectedId = selectedFromUrl();
    rows().forEach(remember);
    initPrefs();
    markRows();
    renderTimes(document);
    updateTitle();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
