// "Copy" buttons: <button data-copy-from="{id}"> puts the text of the field with that id on the
// clipboard and says "Copied" for a moment. One listener on the document serves every button,
// also those htmx swaps in later; a fragment that loads this again adds no second listener.
(() => {
  if (window.supportdeskCopyText) return;
  window.supportdeskCopyText = true;
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-copy-from]") : null;
    const field = button && document.getElementById(button.dataset.copyFrom);
    if (!field) return;
    button.dataset.label ??= button.textContent;
    navigator.clipboard.writeText("value" in field ? field.value : field.textContent).then(
      () => {
        button.textContent = "Copied";
        setTimeout(() => (button.textContent = button.dataset.label), 2000);
      },
      // No clipboard (an http:// address other than localhost): select it for Ctrl+C instead.
      () => field.select?.(),
    );
  });
})();
