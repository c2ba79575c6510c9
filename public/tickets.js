// The tickets' pages (views/tickets/): live rows in /tickets, the ticket page's live parts and its
// forms, relative times. Plain ES2019, no build step, no inline handlers; every listener is
// delegated from the document. What differs per agent ("me") is worked out here from data-*
// attributes: the server renders every push once, for everyone (ARCHITECTURE §5).
(function () {
  "use strict";

  var RANK = { low: 0, normal: 1, high: 2, urgent: 3 };

  function me() {
    var root = document.querySelector(".tickets[data-agent-id], .ticket-page[data-agent-id]");
    return root ? root.getAttribute("data-agent-id") : null;
  }
  function say(text) {
    var live = document.getElementById("tickets-live");
    if (live && text) live.textContent = text;
  }

  // --- the socket's state (the server pushes "Live" once the socket is subscribed) --------------
  document.addEventListener("htmx:ws:close", function () {
    var status = document.getElementById("live-status");
    if (!status) return;
    status.dataset.state = "reconnecting";
    status.textContent = "Reconnecting…";
  });

  // --- "2 min ago": public/relative-time.js, loaded before this script --------------------------
  var renderTimes = window.renderRelativeTimes;

  // =============================================================================================
  // The list: a pushed row is swapped in place by htmx (hx-swap-oob, by id) where it exists, and
  // dropped where it does not. So before the swap a row new to this list gets a placeholder where
  // it belongs (if it matches the filters); after it, rows that no longer match are removed and
  // the sort order is restored.
  // =============================================================================================
  function body() { return document.getElementById("ticket-rows"); }
  function rows() {
    var b = body();
    return b ? Array.prototype.slice.call(b.querySelectorAll(":scope > tr.ticket-row")) : [];
  }
  function loadMore() { var b = body(); return b && b.querySelector(":scope > tr.load-more"); }

  /** The same rules as src/tickets/queries.ts filterSql and textSearch. */
  function matches(row) {
    var f = body().dataset;
    var status = row.getAttribute("data-status");
    if (f.filterStatus === "unclosed" ? status === "closed" : f.filterStatus !== "any" && f.filterStatus !== status) return false;
    if (f.filterPriority && f.filterPriority !== row.getAttribute("data-priority")) return false;
    var assignee = row.getAttribute("data-assignee-id") || "";
    var wanted = f.filterAssignee;
    if (wanted === "me" ? assignee !== me() : wanted === "none" ? assignee !== "" : wanted !== "anyone" && wanted !== assignee) return false;
    var q = (f.filterQ || "").toLowerCase();
    if (!q) return true;
    var number = /^(#?)(\d+)$/.exec(q);
    if (number && String(Number(number[2])) === row.getAttribute("data-number")) return true;
    if (number && number[1]) return false;
    var subject = row.querySelector(".ticket-subject");
    return !!subject && subject.textContent.toLowerCase().indexOf(q) >= 0;
  }

  /** Whether row `a` comes before row `b` in the list's sort. */
  function comesBefore(a, b) {
    var sort = body().dataset.sort;
    if (sort === "priority") {
      var d = RANK[a.getAttribute("data-priority")] - RANK[b.getAttribute("data-priority")];
      if (d) return d > 0;
    }
    var key = sort === "created" ? "data-created" : "data-updated";
    var x = a.getAttribute(key) || "", y = b.getAttribute(key) || "";
    if (x !== y) return x > y;
    return (a.getAttribute("data-id") || "") > (b.getAttribute("data-id") || "");
  }

  function placeholderFor(pushed) {
    var b = body();
    if (!b || document.getElementById(pushed.id) || !matches(pushed)) return false;
    var all = rows(), before = null;
    for (var i = 0; i < all.length; i++) {
      if (comesBefore(pushed, all[i])) { before = all[i]; break; }
    }
    var more = loadMore();
    // After every row shown while more pages exist: it belongs to a page not loaded yet.
    if (!before && more) return false;
    // What sorting needs, until htmx swaps the pushed row in.
    var row = document.createElement("tr");
    row.id = pushed.id;
    row.className = "ticket-row";
    ["data-id", "data-priority", "data-created", "data-updated"].forEach(function (name) { row.setAttribute(name, pushed.getAttribute(name) || ""); });
    b.insertBefore(row, before || more || null);
    return true;
  }

  function showEmpty() {
    var b = body();
    if (!b) return;
    var empty = b.querySelector(":scope > tr.tickets-empty");
    if (rows().length || loadMore()) { if (empty) empty.remove(); return; }
    if (empty) return;
    var tr = document.createElement("tr");
    tr.className = "tickets-empty";
    var td = document.createElement("td");
    td.colSpan = b.closest("table").querySelectorAll("thead th").length;
    var p = document.createElement("p");
    p.textContent = "No tickets match these filters.";
    td.appendChild(p);
    tr.appendChild(td);
    b.appendChild(tr);
  }

  /** One copy of each row, only the matching ones, in the list's order. */
  function arrange() {
    var b = body();
    if (!b) return;
    var seen = {};
    rows().forEach(function (row) {
      if (seen[row.id] || !matches(row)) { row.remove(); return; }
      seen[row.id] = true;
    });
    var ordered = rows();
    var sorted = ordered.slice().sort(function (x, y) { return comesBefore(x, y) ? -1 : comesBefore(y, x) ? 1 : 0; });
    if (sorted.some(function (row, i) { return row !== ordered[i]; })) {
      var focused = document.activeElement;
      var anchor = loadMore();
      sorted.forEach(function (row) { b.insertBefore(row, anchor); });
      if (focused && focused !== document.activeElement && document.contains(focused)) focused.focus();
    }
    showEmpty();
  }

  var pushedRows = new WeakMap(); // frame -> what it brought: [{id, number, isNew}]
  function isRowFrame(message) { return message && typeof message.data === "string" && message.data.indexOf("ticket-row-") >= 0; }

  document.addEventListener("htmx:ws:before:message:incoming", function (event) {
    var message = event.detail && event.detail.message;
    if (!isRowFrame(message) || !body()) return;
    var template = document.createElement("template");
    template.innerHTML = message.data; // parsed inert: nothing in a template runs or loads
    var brought = [];
    template.content.querySelectorAll("tr.ticket-row[hx-swap-oob]").forEach(function (pushed) {
      var shown = !!document.getElementById(pushed.id);
      brought.push({ id: pushed.id, number: pushed.getAttribute("data-number"), shown: shown, added: !shown && placeholderFor(pushed) });
    });
    pushedRows.set(message, brought);
  });

  document.addEventListener("htmx:ws:after:message:incoming", function (event) {
    var message = event.detail && event.detail.message;
    if (!isRowFrame(message) || !body()) return;
    arrange();
    (pushedRows.get(message) || []).forEach(function (p) {
      var row = document.getElementById(p.id);
      if (row) renderTimes(row);
      if (p.added && row) say("New ticket #" + p.number + " in the list.");
      else if (p.shown && row) say("Ticket #" + p.number + " was updated.");
      else if (p.shown) say("Ticket #" + p.number + " was updated and no longer matches the filters.");
    });
  });

  // After a reconnect the page catches up with what was pushed meanwhile.
  var connectedBefore = false;
  document.addEventListener("htmx:ws:after:connection", function () {
    if (connectedBefore && window.htmx) {
      if (document.getElementById("ticket-results")) {
        htmx.ajax("GET", location.pathname + location.search, { target: "#ticket-results", swap: "outerHTML" });
      } else if (ticketPage() && !formsInUse()) {
        location.reload();
      } else if (ticketPage()) {
        notice("The connection was lost for a moment: reload the page to see changes made meanwhile.");
      }
    }
    connectedBefore = true;
  });

  // =============================================================================================
  // The ticket page
  // =============================================================================================
  function ticketPage() { return document.querySelector(".ticket-page[data-ticket-id]"); }
  function ticketId() { var p = ticketPage(); return p && p.getAttribute("data-ticket-id"); }
  function propsForm() { return document.getElementById("ticket-props-" + ticketId()); }
  function notice(text) {
    var el = document.getElementById("ticket-props-notice-" + ticketId());
    if (el) el.textContent = text;
  }
  var FIELDS = [["status", "wasStatus"], ["priority", "wasPriority"], ["assigneeId", "wasAssigneeId"]];
  function formsInUse() {
    var form = propsForm();
    var changed = form && FIELDS.some(function (f) {
      var select = form.querySelector('select[name="' + f[0] + '"]'), was = form.querySelector('input[name="' + f[1] + '"]');
      return select && was && select.value !== was.value;
    });
    var comment = document.getElementById("comment-body-" + ticketId());
    return !!changed || !!(comment && comment.value.trim());
  }

  /**
   * The facts changed (anyone's change, or our own save): fields the agent has not touched follow
   * the new values; a field they changed to something else is kept, and they are told.
   */
  function followFacts(fromSocket) {
    var id = ticketId(), form = propsForm();
    var facts = id && document.querySelector("#ticket-facts-" + id + " .ticket-facts");
    if (!facts || !form) return;
    var now = { status: facts.getAttribute("data-status"), priority: facts.getAttribute("data-priority"), assigneeId: facts.getAttribute("data-assignee-id") || "" };
    var kept = false;
    FIELDS.forEach(function (f) {
      var select = form.querySelector('select[name="' + f[0] + '"]'), was = form.querySelector('input[name="' + f[1] + '"]');
      if (!select || !was || was.value === now[f[0]]) return;
      if (select.value === was.value || select.value === now[f[0]]) {
        if (f[0] === "assigneeId" && now.assigneeId && !select.querySelector('option[value="' + CSS.escape(now.assigneeId) + '"]')) {
          var option = document.createElement("option");
          option.value = now.assigneeId;
          option.textContent = facts.getAttribute("data-assignee-name") || "Another agent";
          select.appendChild(option);
        }
        select.value = now[f[0]];
      } else {
        kept = true;
      }
      was.value = now[f[0]];
    });
    if (kept && fromSocket) notice("A colleague changed this ticket while you were editing it: your changes are kept, check them before saving.");
  }

  /** A history row or comment arrives twice (our post's answer and the push): keep one. */
  function dedupe() {
    var id = ticketId();
    ["ticket-history-", "ticket-comments-"].forEach(function (prefix) {
      var list = document.getElementById(prefix + id);
      if (!list) return;
      var seen = {};
      Array.prototype.slice.call(list.children).forEach(function (item) {
        if (item.id && seen[item.id]) item.remove();
        else seen[item.id] = true;
      });
    });
  }

  function afterTicketSwap(fromSocket) {
    if (!ticketPage()) return;
    dedupe();
    followFacts(fromSocket);
    renderTimes(ticketPage());
  }

  document.addEventListener("htmx:ws:after:message:incoming", function (event) {
    var message = event.detail && event.detail.message;
    if (message && typeof message.data === "string" && message.data.indexOf("ticket-facts-") >= 0) afterTicketSwap(true);
  });

  // Before a post: the last refusal and notice go; after a comment went in: the field empties.
  document.addEventListener("htmx:before:request", function (event) {
    var form = event.target;
    if (!form || !form.classList) return;
    if (form.classList.contains("ticket-props")) {
      var error = document.getElementById("ticket-props-error-" + ticketId());
      if (error) error.textContent = "";
      notice("");
    }
    if (form.classList.contains("ticket-comment-form")) {
      var commentError = document.getElementById("comment-error-" + ticketId());
      if (commentError) commentError.textContent = "";
    }
  });
  document.addEventListener("htmx:after:request", function (event) {
    var form = event.target;
    var ctx = event.detail && event.detail.ctx;
    if (!form || !form.classList || !form.classList.contains("ticket-comment-form") || !ctx || !ctx.response) return;
    if (ctx.response.status < 300) form.reset();
  });

  document.addEventListener("htmx:after:swap", function (event) {
    var ctx = event.detail && event.detail.ctx;
    if (ctx && !ctx.request) return; // a socket frame: handled above
    arrange();
    afterTicketSwap(false);
    renderTimes(document);
  });

  renderTimes(document);
})();
