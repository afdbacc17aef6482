// Case pages: conveniences only; every page works without this file.
(function () {
  'use strict';
  // "Select all" ticks the rows of the list that a batch action may take.
  var all = document.getElementById('select-all');
  if (all) {
    all.addEventListener('change', function () {
      document.querySelectorAll('#case-table input[name="case"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }
  // A batch with nothing ticked posts as it is: the server's refusal says so.
  // A rejection needs a reason: typing one picks "其他" unless a common
  // reason is chosen; choosing "其他" moves the cursor to the text.
  document.querySelectorAll('form.reject').forEach(function (form) {
    var text = form.querySelector('textarea[name="reason_text"]');
    form.querySelectorAll('input[name="reason_choice"]').forEach(function (radio) {
      radio.addEventListener('change', function () {
        if (radio.value === '其他' && text) { text.focus(); }
      });
    });
  });
})();
