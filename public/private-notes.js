// The composer's "Private note" switch (views/conversations/composer.tsx): pressed, the form posts
// to the conversation's notes (only agents see them) and looks apart; released, it posts a reply
// again. Alt+N in the reply field does the same. The server renders the form's mode after each
// answer; this only flips it in between. Plain ES2019.
(function () {
  "use strict";

  function setMode(form, note) {
    var toggle = form.querySelector("[data-note-toggle]");
    form.classList.toggle("composer-note", note);
    form.setAttribute("hx-post", form.getAttribute(note ? "data-note-url" : "data-reply-url"));
    if (toggle) toggle.setAttribute("aria-pressed", String(note));
  }

  function toggle(form) { setMode(form, !form.classList.contains("composer-note")); }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-note-toggle]");
    if (!button || !button.form) return;
    toggle(button.form);
    var field = button.form.querySelector("textarea[name=body]");
    if (field) field.focus();
  });

  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (!event.altKey || event.ctrlKey || event.metaKey || event.code !== "KeyN") return;
    if (field.tagName !== "TEXTAREA" || !field.form || !field.form.classList.contains("composer")) return;
    event.preventDefault();
    toggle(field.form);
  });
})();
