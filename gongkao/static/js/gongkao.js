// Submit buttons marked data-once are disabled after the first click, so a
// double tap on a slow phone sends the form once (the server also refuses a
// second submission).
document.addEventListener("submit", function (event) {
  var button = event.target.querySelector("button[data-once]");
  if (button) {
    window.setTimeout(function () { button.disabled = true; }, 0);
  }
});

// A select marked data-autosubmit submits its form on change (the year picker);
// without JavaScript the form keeps its own button.
document.addEventListener("change", function (event) {
  var select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) {
    select.form.requestSubmit();
  }
});

// The proctor's scan field (exams/door.html) empties and takes the focus again
// after each scan, ready for the next ticket.
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target.closest && event.target.closest("form.scan-form");
  if (form) {
    form.reset();
    var field = form.querySelector("input[name=scanned]");
    if (field) { field.focus(); }
  }
});
