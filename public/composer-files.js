// Files for the reply being written (views/conversations/composer.tsx): chosen with "Attach a
// file", pasted or dropped, each uploads at once with a progress bar and a cancel button. The
// server answers each upload with its chip (a hidden `files` field), which htmx swaps into the
// form; the server decides what a file may be and says why not. Sending waits for the uploads.
(function () {
  "use strict";

  function composerOf(el) {
    var pane = el && el.closest ? el.closest("section.conversation") : null;
    return (el && el.closest && el.closest("form.composer")) || (pane && pane.querySelector("form.composer"));
  }
  function say(form, text) {
    var box = form.querySelector(".composer-error");
    if (!box) return;
    box.textContent = "";
    if (!text) return;
    var alert = document.createElement("p");
    alert.className = "alert alert-error";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    box.appendChild(alert);
  }
  function pending(form) { return form.querySelectorAll(".upload").length; }

  /** One upload: a row with the name, a progress bar and Cancel; the chip when the server took it. */
  function upload(form, file) {
    var input = form.querySelector(".composer-file-input"), rows = form.querySelector(".composer-uploads");
    if (!input || !rows) return;
    var row = document.createElement("div"), name = document.createElement("span"), bar = document.createElement("progress"), cancel = document.createElement("button");
    row.className = "upload";
    name.textContent = file.name || "file";
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Uploading " + name.textContent);
    cancel.type = "button";
    cancel.className = "button upload-cancel";
    cancel.textContent = "Cancel";
    cancel.setAttribute("aria-label", "Cancel uploading " + name.textContent);
    row.append(name, bar, cancel);
    rows.appendChild(row);
    say(form, "");

    var xhr = new XMLHttpRequest();
    xhr.open("POST", input.getAttribute("data-upload-url") + "?name=" + encodeURIComponent(file.name || "file"));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (event) { if (event.lengthComputable) bar.value = Math.round((event.loaded / event.total) * 100); };
    xhr.onload = function () {
      row.remove();
      if (xhr.status === 201) {
        var list = form.querySelector(".composer-files");
        window.htmx.swap({ sourceElement: list, target: list, swap: "beforeend", text: xhr.responseText });
        return;
      }
      var message = "The file was not uploaded (" + xhr.status + ").";
      try { message = JSON.parse(xhr.responseText).error.message || message; } catch (e) { /* not JSON: keep the status */ }
      say(form, (file.name ? file.name + ": " : "") + message);
    };
    xhr.onerror = function () { row.remove(); say(form, (file.name || "The file") + " was not uploaded: the connection failed. Try again."); };
    cancel.addEventListener("click", function () { xhr.abort(); row.remove(); });
    xhr.send(file);
  }
  function uploadAll(form, files) { Array.prototype.forEach.call(files || [], function (file) { upload(form, file); }); }

  document.addEventListener("click", function (event) {
    var attach = event.target.closest && event.target.closest("[data-attach]");
    if (attach) return void composerOf(attach).querySelector(".composer-file-input").click();
    var remove = event.target.closest && event.target.closest("[data-remove-file]");
    if (remove) remove.closest(".pending-file").remove();
  });
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("composer-file-input")) return;
    uploadAll(input.form, input.files);
    input.value = "";
  });
  document.addEventListener("paste", function (event) {
    var form = composerOf(event.target), files = event.clipboardData && event.clipboardData.files;
    if (!form || !event.target.closest("form.composer") || !files || !files.length) return;
    event.preventDefault();
    uploadAll(form, files);
  });
  // Dropping files anywhere on an open conversation attaches them to its reply.
  document.addEventListener("dragover", function (event) {
    var form = composerOf(event.target);
    if (!form || !event.dataTransfer || Array.prototype.indexOf.call(event.dataTransfer.types, "Files") < 0) return;
    event.preventDefault();
    form.classList.add("dropping");
  });
  document.addEventListener("dragleave", function (event) { var form = composerOf(event.target); if (form) form.classList.remove("dropping"); });
  document.addEventListener("drop", function (event) {
    var form = composerOf(event.target);
    if (!form || !event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    form.classList.remove("dropping");
    uploadAll(form, event.dataTransfer.files);
  });
  // A reply sent while a file is still uploading would go without it: wait for it (before htmx sees the submit).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("composer") || !pending(form)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    say(form, "Wait for the upload to finish, then send.");
  }, true);
})();
