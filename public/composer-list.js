// A list that a character typed in the reply field opens, below it: the saved replies' `/`
// (public/saved-replies.js) and a private note's `@` (public/mentions.js) each make one with
// window.sdComposerList(config). What a list holds, in which order, and the text each option
// inserts are the server's: each change of what follows the character asks the list's data-url
// with ?q= and htmx swaps the answer in. This handles the keys (Up, Down, Enter, Escape), the
// active option, the insertion and the status that says the list opened; Enter never sends the
// reply while a list is open. Plain ES2019, no HTML from strings.
//
// config: trigger (the text before the caret: group 2 is the query), formClass (the forms whose
// field it serves), list (the list's selector in the form), name (what the status calls the
// options), closeWhenEmpty (an answer with no option closes the list), reopenAfterPick (false: the
// text just inserted does not open the list again).
window.sdComposerList = function (config) {
  "use strict";

  var TRIGGER = config.trigger;
  /** { field, list, start, query, controller, pickFirst } while a list is open (or on its way). */
  var open = null;
  var inserting = false;
  /** Where the text just inserted starts: with reopenAfterPick false, the list does not open again for it. */
  var picked = null;

  function isReplyField(el) { return !!el && el.tagName === "TEXTAREA" && el.name === "body" && !!el.form && el.form.classList.contains(config.formClass); }
  function optionsOf(list) { return Array.prototype.slice.call(list.querySelectorAll('[role="option"]:not([aria-disabled="true"])')); }
  function activeOf(state) { var id = state.field.getAttribute("aria-activedescendant"); return id ? document.getElementById(id) : null; }
  function stop(event) { event.preventDefault(); event.stopPropagation(); }
  /** The polite status after the list (a text field may not say aria-expanded: this says it instead). */
  function say(state, text) { var status = document.getElementById(state.list.id + "-status"); if (status && status.textContent !== text) status.textContent = text; }

  function setActive(state, option) {
    optionsOf(state.list).forEach(function (o) { o.setAttribute("aria-selected", String(o === option)); });
    if (!option) return state.field.removeAttribute("aria-activedescendant");
    state.field.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function close() {
    if (!open) return;
    var state = open;
    open = null;
    if (state.controller) state.controller.abort();
    state.list.hidden = true;
    state.list.classList.remove("above");
    state.list.removeAttribute("aria-busy");
    state.list.textContent = "";
    state.field.removeAttribute("aria-activedescendant");
    if (state.controls !== undefined) state.field.setAttribute("aria-controls", state.controls);
    say(state, "");
  }

  /** Below the field, unless the window has no room there and there is room above. */
  function place(state) {
    state.list.classList.remove("above");
    var list = state.list.getBoundingClientRect(), field = state.field.getBoundingClientRect();
    if (list.bottom > window.innerHeight && field.top - list.height > 0) state.list.classList.add("above");
  }

  /** The list for the query now: a newer question cancels the one before, so answers never arrive out of order. */
  function ask(state) {
    if (state.controller) state.controller.abort();
    var controller = (state.controller = new AbortController());
    var current = function () { return open === state && state.controller === controller; };
    // Busy until the list for this query is in: what is shown may be for an earlier one.
    state.list.setAttribute("aria-busy", "true");
    fetch(state.list.getAttribute("data-url") + "?q=" + encodeURIComponent(state.query), { headers: { accept: "text/html" }, signal: controller.signal })
      .then(function (res) {
        if (!res.ok) throw new Error(config.name + ": " + res.status);
        return res.text();
      })
      .then(function (html) {
        if (!current()) return;
        return Promise.resolve(window.htmx.swap({ sourceElement: state.list, target: state.list, swap: "innerHTML", text: html })).then(function () {
          if (!current()) return;
          if (config.closeWhenEmpty && !optionsOf(state.list).length) return close();
          state.list.removeAttribute("aria-busy");
          state.list.hidden = false;
          place(state);
          var options = optionsOf(state.list), first = options[0] || null;
          setActive(state, first);
          say(state, options.length ? config.name + ": " + options.length + ". Up and down to choose, Enter to insert, Escape to close." : state.list.textContent.trim());
          // Enter was pressed before this list arrived: it meant the best match.
          if (state.pickFirst) first ? pick(state, first) : close();
        });
      })
      .catch(function (err) { if (err.name !== "AbortError" && current()) close(); });
  }

  /** Opens, updates or closes the list for what the field holds before its caret. */
  function update(field) {
    if (open && (open.field !== field || !open.field.isConnected)) close();
    var caret = field.selectionStart;
    var match = caret === field.selectionEnd && TRIGGER.exec(field.value.slice(0, caret));
    if (!match) { picked = null; return close(); }
    var list = field.form.querySelector(config.list);
    if (!list) return;
    var start = caret - match[2].length - 1;
    if (!config.reopenAfterPick && picked && picked.field === field && picked.start === start) return close();
    if (open && open.start === start && open.query === match[2]) return;
    if (!open) {
      open = { field: field, list: list, controls: field.getAttribute("aria-controls") };
      field.setAttribute("aria-controls", list.id);
    }
    open.start = start;
    open.query = match[2];
    open.pickFirst = false;
    ask(open);
  }

  /** The character and the query become the option's text, caret after it, as one step that Ctrl+Z undoes. */
  function pick(state, option) {
    var field = state.field, text = option.getAttribute("data-text") || "", end = state.start + 1 + state.query.length;
    close();
    picked = { field: field, start: state.start };
    field.focus();
    field.setSelectionRange(state.start, end);
    inserting = true;
    try {
      // insertText keeps the browser's undo history; where it is missing, setRangeText does the same edit.
      if (!document.execCommand("insertText", false, text)) {
        field.setRangeText(text, state.start, end, "end");
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
    } finally {
      inserting = false;
    }
  }

  document.addEventListener("input", function (event) {
    if (!inserting && isReplyField(event.target) && !event.isComposing) update(event.target);
  });
  // Moving the caret elsewhere in the field changes what precedes it.
  document.addEventListener("keyup", function (event) {
    if (isReplyField(event.target) && /^(ArrowLeft|ArrowRight|Home|End)$/.test(event.key)) update(event.target);
  });
  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest(config.list + ' [role="option"]');
    if (option && open && open.list.contains(option) && option.getAttribute("aria-disabled") !== "true") pick(open, option);
    else if (isReplyField(event.target)) update(event.target);
  });
  // A press on an option keeps the focus (and the caret) in the field.
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest && event.target.closest(config.list)) event.preventDefault();
  });
  document.addEventListener("focusout", function (event) { if (open && event.target === open.field) close(); });

  // Capturing, so that the reply form's own Enter (public/conversation.js) never sees these keys.
  document.addEventListener("keydown", function (event) {
    if (!open || event.target !== open.field || event.isComposing) return;
    var state = open, options = optionsOf(state.list), index = options.indexOf(activeOf(state));
    var plain = !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey;
    if (event.key === "Escape") {
      stop(event);
      close();
    } else if (event.key === "Enter" && plain) {
      stop(event);
      // The list for what was just typed is on its way: Enter means its best match, not the shown one's.
      if (state.list.hidden || state.list.getAttribute("aria-busy") === "true") state.pickFirst = true;
      else if (index >= 0) pick(state, options[index]);
      else close();
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !state.list.hidden && plain) {
      stop(event);
      if (!options.length) return;
      var step = event.key === "ArrowDown" ? 1 : -1;
      setActive(state, options[(index + step + options.length) % options.length] || options[0]);
    }
  }, true);

  // The form is replaced after each reply or note: a list of the old one is gone with it.
  document.addEventListener("htmx:after:swap", function () { if (open && !open.field.isConnected) open = null; });
};
