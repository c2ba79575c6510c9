// The tickets' pages (views/tickets/): the list, its rows and the ticket's parts are the server's.
// What it cannot know: moving the ticket's form along with a colleague's change in the fields the
// agent has not touched (what they typed is only in this browser). Plain ES2019, no inline handlers.
(function () {
  "use strict";

  var FIELDS = { status: "data-status", priority: "data-priority", assigneeId: "data-assignee-id" };
  var KEPT = "A colleague changed this ticket while you were editing it: your changes are kept, check them before saving.";

  /** An untouched field takes the ticket's new value; one the agent changed is kept, and they are told. */
  function followFacts() {
    var facts = document.querySelector(".ticket-facts[data-status]");
    var form = document.querySelector("form.ticket-props");
    if (!facts || !form) return;
    var kept = false;
    Object.keys(FIELDS).forEach(function (name) {
      var select = form.elements[name], was = form.elements["was" + name.charAt(0).toUpperCase() + name.slice(1)];
      var now = facts.getAttribute(FIELDS[name]) || "";
      if (!select || !was || was.value === now) return;
      if (select.value !== was.value && select.value !== now) kept = true;
      else {
        // An agent who joined after the page loaded has no option yet.
        if (!select.querySelector('option[value="' + CSS.escape(now) + '"]')) select.add(new Option(facts.getAttribute("data-assignee-name") || "Another agent", now));
        select.value = now;
      }
      was.value = now;
    });
    if (kept) form.querySelector(".ticket-props-notice").textContent = KEPT;
  }

  document.addEventListener("htmx:after:swap", followFacts);
})();
