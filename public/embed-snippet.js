// The "Copy snippet" button of the settings pages (views/widget/embed-snippet.tsx): Alpine's CSP build
// runs no inline code, so it is a component here, loaded before Alpine (which fires `alpine:init`).
document.addEventListener("alpine:init", () => {
  window.Alpine.data("embedSnippet", () => ({
    copied: false,
    copy() {
      navigator.clipboard.writeText(this.$refs.code.value).then(() => {
        this.copied = true;
        setTimeout(() => (this.copied = false), 2000);
      });
    },
  }));
});
