// Saved replies in the reply field (views/conversations/saved-replies-list.tsx): `/` at the start
// of the field or after a space opens the list "Saved replies" below it, which the server fills
// (GET /inbox/c/:id/saved-replies?q=: ranked, variables filled in) and public/composer-list.js
// runs. An answer with no reply in it says so (one disabled option).
window.sdComposerList({
  trigger: /(^|\s)\/(\S{0,100})$/,
  formClass: "composer",
  list: ".saved-replies",
  name: "Saved replies",
  closeWhenEmpty: false,
  reopenAfterPick: true,
});
