// Shows when the inbox has lost its live connection. htmx's ws extension reconnects by itself,
// and the server pushes the "Live" status again once the new socket is subscribed.
document.addEventListener("htmx:ws:close", function () {
  var status = document.getElementById("live-status");
  if (!status) return;
  status.dataset.state = "reconnecting";
  status.textContent = "Reconnecting…";
});
