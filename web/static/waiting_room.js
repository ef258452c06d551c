// The waiting room: counts down the server's Retry-After and then presses Start again by itself.
// Each page adds up to half the wait at random, so that the participants turned away together do
// not all come back in the same instant.
(function () {
  'use strict';
  var form = document.querySelector('form[data-waiting-room]');
  if (!form) return;
  var wait = Math.max(1, parseInt(form.getAttribute('data-waiting-room'), 10) || 1);
  var left = Math.ceil(wait * (1 + Math.random() / 2));
  var shown = document.querySelector('[data-waiting-seconds]');
  function tick() {
    if (shown) shown.textContent = String(left);
    if (left <= 0) {
      form.submit();
      return;
    }
    left -= 1;
    setTimeout(tick, 1000);
  }
  tick();
})();
