// Every "Copy" button of the agent pages (the widget snippet, invite and reset links):
// <button data-copy-from="{id}" data-copy-status="{id}"> puts the value of the field with that id
// on the clipboard, says "Copied" on the button for two seconds and in the status region for
// screen readers. Without the async clipboard (plain http on another host than localhost) it
// selects the text and copies the old way. One listener on the document serves every button, also
// those htmx swaps in later; a fragment that loads this again adds no second listener.
(() => {
  if (window.supportdeskCopyText) return;
  window.supportdeskCopyText = true;
  const say = (button, text) => {
    const status = button.dataset.copyStatus && document.getElementById(button.dataset.copyStatus);
    if (status) status.textContent = text;
  };
  const copied = (button) => {
    button.dataset.label ??= button.textContent;
    button.textContent = "Copied";
    say(button, "Copied");
    setTimeout(() => {
      button.textContent = button.dataset.label;
      say(button, "");
    }, 2000);
  };
  const copySelected = (field, button) => {
    field.select?.();
    if (document.execCommand("copy")) copied(button);
  };
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-copy-from]") : null;
    const field = button && document.getElementById(button.dataset.copyFrom);
    if (!field) return;
    const text = "value" in field ? field.value : field.textContent;
    if (!navigator.clipboard) return copySelected(field, button);
    navigator.clipboard.writeText(text).then(() => copied(button), () => copySelected(field, button));
  });
})();
