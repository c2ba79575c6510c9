// What every agent page with the agents' socket (hx-ws:connect="/ws/inbox") shares: relaying the
// server's signals (what a list shows is the server's) and "2 min ago" for `time[data-relative]`
// (views/components/clock.tsx; the UTC time the server rendered moves to the title). Plain ES2019.
(function () {
  "use strict";

  function stale(selector) {
    document.querySelectorAll(selector).forEach(function (list) { htmx.trigger(list, "list-stale"); });
  }

  // The socket's state is shown only when it is bad (views/inbox/live-status.tsx): htmx's ws
  // extension reconnects by itself, and the server pushes "live" (no words) once it is subscribed.
  function socketDown() {
    var status = document.getElementById("live-status");
    if (!status) return;
    var offline = navigator.onLine === false;
    status.dataset.state = offline ? "offline" : "reconnecting";
    status.textContent = offline ? "Offline" : "Reconnecting…";
  }
  // Only a closed socket: the browser going offline says nothing of a socket that may survive it, and nothing would clear the words after.
  document.addEventListener("htmx:ws:close", socketDown);

  // A new socket follows nothing yet: the page says again what it shows (its follow and view
  // senders). After a reconnect, lists ask for themselves: pushes sent meanwhile were lost.
  var connectedBefore = false;
  document.addEventListener("htmx:ws:after:connection", function () {
    document.querySelectorAll("[data-on-connect]").forEach(function (sender) { sender.dispatchEvent(new Event("sd-connected")); });
    if (connectedBefore) stale("[data-list]");
    connectedBefore = true;
  });

  // A push that says a list is stale (views/components/list-push.ts): JSON, `stale` names the list.
  document.addEventListener("htmx:ws:after:message:incoming", function (event) {
    var data = event.detail && event.detail.message && event.detail.message.data;
    if (typeof data !== "string" || data.charAt(0) !== "{" || data.indexOf('"stale"') < 0) return;
    var list = JSON.parse(data).stale;
    if (/^[a-z]+$/.test(list)) stale('[data-list="' + list + '"]');
  });

  function relative(iso) {
    var minutes = Math.round(Math.max(0, Date.now() - Date.parse(iso)) / 60000), hours = Math.round(minutes / 60), days = Math.round(hours / 24);
    if (minutes < 1) return "just now";
    if (minutes < 60) return minutes + " min ago";
    if (hours < 24) return hours + " h ago";
    return days < 7 ? days + (days === 1 ? " day ago" : " days ago") : null;
  }
  function renderTimes() {
    document.querySelectorAll("time[data-relative][datetime]").forEach(function (time) {
      if (!time.title) time.title = time.textContent;
      // A week or more ago: the date as the server wrote it, in the account's locale.
      time.textContent = relative(time.getAttribute("datetime")) || time.title;
    });
  }
  // After every swap (a page, a refreshed list, a push; once per swap, not per element it brings) and once a minute.
  document.addEventListener("htmx:after:swap", renderTimes);
  setInterval(renderTimes, 60000);
  renderTimes();
})();
