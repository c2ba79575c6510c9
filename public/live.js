// The agents' socket on every page that has one (hx-ws:connect="/ws/inbox"). Plain ES2019, no
// inline handlers. What a list shows is the server's: this only relays the server's signals.
(function () {
  "use strict";

  function status(state, text) {
    var el = document.getElementById("live-status");
    if (!el) return;
    el.dataset.state = state;
    el.textContent = text;
  }
  function stale(selector) {
    document.querySelectorAll(selector).forEach(function (list) { htmx.trigger(list, "list-stale"); });
  }

  // htmx's ws extension reconnects by itself; the server pushes "Live" once the socket is subscribed.
  document.addEventListener("htmx:ws:close", function () { status("reconnecting", "Reconnecting…"); });

  // A new socket follows nothing yet: the page says again what it shows (its follow and view
  // senders). After a reconnect, lists ask for themselves: pushes sent meanwhile were lost.
  var connectedBefore = false;
  document.addEventListener("htmx:ws:after:connection", function () {
    document.querySelectorAll("[data-on-connect]").forEach(function (sender) {
      sender.dispatchEvent(new Event("sd-connected"));
    });
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
})();
