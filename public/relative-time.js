// "2 min ago" for every `time[data-relative]` (views/components/clock.tsx DateTime): the server
// renders the UTC time, whose text stays in the title. Shared by public/inbox.js and
// public/tickets.js, which load after it and call window.renderRelativeTimes(scope) on what they
// render or swap in; once a minute every such time on the page is brought up to date.
// Plain ES2019, no build step.
(function () {
  "use strict";

  function relative(iso) {
    var seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (seconds < 45) return "just now";
    var minutes = Math.round(seconds / 60);
    if (minutes < 60) return minutes + " min ago";
    var hours = Math.round(minutes / 60);
    if (hours < 24) return hours + " h ago";
    var days = Math.round(hours / 24);
    if (days < 7) return days + (days === 1 ? " day ago" : " days ago");
    return new Date(iso).toLocaleDateString();
  }

  /** Shows the relative time in each `time[data-relative]` in `scope` (the document if none). */
  function renderRelativeTimes(scope) {
    (scope || document).querySelectorAll("time[data-relative]").forEach(function (time) {
      var iso = time.getAttribute("datetime");
      if (!iso) return;
      if (!time.title) time.title = time.textContent;
      time.textContent = relative(iso);
    });
  }

  window.renderRelativeTimes = renderRelativeTimes;
  setInterval(function () { renderRelativeTimes(document); }, 60000);
})();
