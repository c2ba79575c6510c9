// The header's menu button on narrow screens (views/layouts/app-layout.tsx, public/phone.css): it
// shows and hides the navigation, notifications, availability and sign-out. The button is hidden
// until this script runs, so that without it the header stays open. Plain ES2019, no inline code.
(function () {
  "use strict";
  var button = document.querySelector(".nav-toggle");
  if (!button) return;
  var menu = document.getElementById(button.getAttribute("aria-controls"));
  function set(open) { button.setAttribute("aria-expanded", open ? "true" : "false"); }
  button.hidden = false;
  button.addEventListener("click", function () { set(button.getAttribute("aria-expanded") !== "true"); });
  // Escape closes it and gives the focus back to the button (unless a popover inside is open: it closes first).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true" || event.defaultPrevented) return;
    if (menu.querySelector(":popover-open")) return;
    set(false);
    if (menu.contains(document.activeElement)) button.focus();
  });
})();
