// Inbox settings (views/settings/inbox-edit-page.tsx): add and remove FAQ rows, keep the colour
// picker and its text field in step, and confirm destructive posts. Plain ES2019, no inline
// handlers (CSP). The page works without it: a blank FAQ row is always there, clearing a row
// removes it, and the colour is typed.
(function () {
  "use strict";

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  // --- FAQ rows -----------------------------------------------------------------------------------

  var rows = document.querySelector("[data-faq-rows]");
  var template = document.getElementById("faq-row-template");
  var addButton = document.querySelector("[data-faq-add]");
  // The server's limit (LIMITS.faqEntries), rendered onto the rows' container.
  var maxFaq = rows ? Number(rows.getAttribute("data-faq-max")) || Infinity : Infinity;
  var next = 0;

  function renumber() {
    var all = rows.querySelectorAll("[data-faq-row]");
    Array.prototype.forEach.call(all, function (row, i) {
      var title = "Question " + (i + 1);
      row.querySelector("[data-faq-title]").textContent = title;
      var label = row.querySelector("[data-faq-remove-label]");
      if (label) label.textContent = title.toLowerCase();
    });
    if (addButton) addButton.disabled = all.length >= maxFaq;
  }

  function wireRemove(row) {
    var remove = row.querySelector("[data-faq-remove]");
    if (!remove) return;
    remove.hidden = false;
    remove.addEventListener("click", function () {
      row.parentNode.removeChild(row);
      renumber();
      if (addButton) addButton.focus();
    });
  }

  if (rows && template && addButton) {
    each("[data-faq-row]", wireRemove, rows);
    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      var fragment = template.content.cloneNode(true);
      var key = "n" + next++;
      // The template's ids say "faq-new-…": make them unique, and the labels with them.
      each("[id]", function (el) { el.id = el.id.replace("faq-new-", "faq-" + key + "-"); }, fragment);
      each("[for]", function (el) { el.htmlFor = el.htmlFor.replace("faq-new-", "faq-" + key + "-"); }, fragment);
      var row = fragment.querySelector("[data-faq-row]");
      rows.appendChild(fragment);
      wireRemove(row);
      renumber();
      var first = row.querySelector("input");
      if (first) first.focus();
    });
    renumber();
  }

  // --- colour -------------------------------------------------------------------------------------

  var picker = document.querySelector("[data-color-picker]");
  var text = document.querySelector("[data-color-text]");
  if (picker && text) {
    picker.hidden = false;
    picker.addEventListener("input", function () {
      text.value = picker.value;
    });
    text.addEventListener("input", function () {
      var value = text.value.trim();
      if (/^#[0-9a-f]{6}$/i.test(value)) picker.value = value.toLowerCase();
    });
  }

  // --- confirmations ------------------------------------------------------------------------------

  each("form[data-confirm]", function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
})();
