// daihoi's only script of its own (no inline scripts: the Content-Security-Policy forbids
// them). A form marked data-reset-on-success is emptied and its first field focused after a
// successful HTMX request (the check-in desk scans badge after badge).
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target.closest ? event.target.closest("form[data-reset-on-success]") : null;
  if (!form || !event.detail.successful) {
    return;
  }
  form.reset();
  var first = form.querySelector("input:not([type=hidden])");
  if (first) {
    first.focus();
  }
});
