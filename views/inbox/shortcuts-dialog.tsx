/** Every keyboard shortcut of the inbox, as public/inbox.js handles them. */
const SHORTCUTS: ReadonlyArray<[string, string]> = [
  ["j", "Open the next conversation in the list"],
  ["k", "Open the previous conversation in the list"],
  ["a", "Claim the open conversation"],
  ["c", "Close the open conversation"],
  ["l", "Labels of the open conversation"],
  ["z", "Snooze the open conversation (1 hour, tomorrow, next week, or a time)"],
  ["/", "Search"],
  ["?", "Show these shortcuts"],
  ["/", "In the reply field, at its start or after a space: insert a saved reply (type to filter, ↑ ↓ to choose, Enter to insert, Esc to close)"],
  ["Alt+N", "In the reply field: switch between a reply and a private note"],
  ["@", "In a private note: mention a teammate (type to filter, ↑ ↓ to choose, Enter to insert)"],
];

/** Opened with "?" (or its button); a native <dialog>, so Escape closes it and focus returns. */
export function ShortcutsDialog() {
  return (
    <dialog id="shortcuts-dialog" class="shortcuts-dialog" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <p class="lead">Shortcuts do nothing while you type in a field, unless they say so.</p>
      <dl class="shortcut-list">
        {SHORTCUTS.map(([key, what]) => (
          <div class="shortcut">
            <dt>
              <kbd safe>{key}</kbd>
            </dt>
            <dd safe>{what}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit" class="button">
          Done
        </button>
      </form>
    </dialog>
  );
}
