// Destructive actions ask first. A form with data-confirm="question" asks it in a dialog and,
// when the person agrees, is sent with confirm=1; without this script the server shows its own
// confirmation page for the same form (nothing is lost either way).
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-confirm')) return;
    if (!window.confirm(form.getAttribute('data-confirm'))) {
      event.preventDefault();
      return;
    }
    if (!form.querySelector('input[name="confirm"]')) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = 'confirm';
      input.value = '1';
      form.appendChild(input);
    }
  });
})();
