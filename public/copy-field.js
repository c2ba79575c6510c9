// The copy button of <CopyField> (views/components/copy-field.tsx): copies its field's value and says
// "Copied" for two seconds. Alpine's CSP build runs no inline code, so it is a component here,
// loaded before Alpine (which fires `alpine:init`). Without the async clipboard (a page over plain
// http on another host than localhost), it selects the text and copies the old way.
document.addEventListener("alpine:init", () => {
  window.Alpine.data("copyField", () => ({
    copied: false,
    get announcement() {
      return this.copied ? "Copied" : "";
    },
    copy() {
      const field = this.$refs.source;
      const done = () => {
        this.copied = true;
        setTimeout(() => (this.copied = false), 2000);
      };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(field.value).then(done, () => this.copySelected(field, done));
      } else {
        this.copySelected(field, done);
      }
    },
    copySelected(field, done) {
      field.select();
      if (document.execCommand("copy")) done();
    },
  }));
});
