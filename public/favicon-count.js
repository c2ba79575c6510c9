// The tab's icon shows how many conversations wait for this agent: the number the inbox's title
// shows, which the server renders on the tab bar (#inbox-tabs data-attention) and sends again with
// every answer of the list. This only copies it into the icon's address; the server draws the
// badge (/favicon.svg?unread=N), as the strict CSP allows no data: or blob: icon. Plain ES2019.
(function () {
  "use strict";
  var icon = document.querySelector('link[rel="icon"]');
  if (!icon) return;
  var shown = "0";

  function update() {
    var tabs = document.getElementById("inbox-tabs");
    var count = (tabs && tabs.getAttribute("data-attention")) || "0";
    if (!/^\d+$/.test(count) || count === shown) return;
    shown = count;
    icon.setAttribute("href", count === "0" ? "/favicon.svg" : "/favicon.svg?unread=" + count);
  }

  // The tab bar comes back after swaps (a list's answer, a push): once per swap, not per element.
  document.addEventListener("htmx:after:swap", update);
  update();
})();
