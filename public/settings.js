// Inbox settings (views/settings/inbox-edit-page.tsx): FAQ rows come and go by htmx (the server
// renders them); this shows their buttons, which need scripts, and confirms destructive posts.
(function () {
  "use strict";
  document.querySelectorAll("[data-needs-script]").forEach(function (button) { button.hidden = false; });
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
