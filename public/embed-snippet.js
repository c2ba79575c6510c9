// The "Copy snippet" button of the settings pages (views/widget/embed-snippet.tsx), as an Alpine
// component: Alpine's CSP build evaluates no inline code, so what the button does lives here.
// Loaded before Alpine, which fires `alpine:init` when it starts.
document.addEventListener("alpine:init", function () {
  "use strict";
  window.Alpine.data("embedSnippet", function () {
    return {
      copied: false,
      copy: function () {
        var self = this;
        navigator.clipboard.writeText(this.$refs.code.value).then(function () {
          self.copied = true;
          setTimeout(function () { self.copied = false; }, 2000);
        });
      },
    };
  });
});
