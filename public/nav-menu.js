// The header's menu button on narrow screens (views/layouts/app-layout.tsx, public/phone.css): it
// shows and hides the navigation, notifications, availability and sign-out. The button is hidden
// until this script runs, so that without it the header stays open. htmx runs the body's scripts
// again when a history restore swaps the body in: the listeners are installed once and find the
// button when used. Plain ES2019, no inline code.
(function () {
  "use strict";
  var button = function () { return document.querySelector(".nav-toggle"); };
  var open = function (b) { return b.getAttribute("aria-expanded") === "true"; };
  var set = function (b, on) { b.setAttribute("aria-expanded", on ? "true" : "false"); };
  if (button()) button().hidden = false;
  if (window.sdNavMenu) return;
  window.sdNavMenu = true;
  document.addEventListener("click", function (event) {
    var b = event.target.closest && event.target.closest(".nav-toggle");
    if (b) set(b, !open(b));
  });
  // Escape closes it and gives the focus back to the button (an open popover inside closes first).
  document.addEventListener("keydown", function (event) {
    var b = button();
    if (event.key !== "Escape" || event.defaultPrevented || !b || !open(b)) return;
    var menu = document.getElementById(b.getAttribute("aria-controls"));
    if (menu.querySelector(":popover-open")) return;
    set(b, false);
    if (menu.contains(document.activeElement)) b.focus();
  });
})();
