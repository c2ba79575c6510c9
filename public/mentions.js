// Mentions in a private note (views/notes/mentions-list.tsx): in note mode, `@` at the start of the
// field or after a space opens the list "Mention a teammate", which the server fills (GET
// /inbox/c/:id/teammates?q=) and public/composer-list.js runs; picking one inserts `@Name `, which
// the server resolves when the note is saved. The query may hold one space (full names); an
// answer with nobody in it closes the list (the `@` was not meant as a mention, or the name is
// complete and typing went on), and the name just inserted does not open it again.
window.sdComposerList({
  trigger: /(^|\s)@(\S{0,30}(?: \S{0,30})?)$/,
  formClass: "composer-note",
  list: ".mentions",
  name: "Teammates",
  closeWhenEmpty: true,
  reopenAfterPick: false,
});
