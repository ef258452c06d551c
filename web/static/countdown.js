// Live countdowns: every element with data-deadline (RFC 3339) shows the time left, corrected for
// the difference between this device's clock and the server's (data-server-time, when given).
(function () {
  'use strict';
  var loaded = Date.now();
  function format(ms) {
    if (ms <= 0) return '00:00';
    var s = Math.floor(ms / 1000);
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    var sec = s % 60;
    if (d > 0) return d + ' ngày ' + h + ' giờ';
    if (h > 0) return h + ' giờ ' + m + ' phút';
    return (m < 10 ? '0' : '') + m + ':' + (sec < 10 ? '0' : '') + sec;
  }
  function start(el) {
    var deadline = Date.parse(el.getAttribute('data-deadline'));
    var server = Date.parse(el.getAttribute('data-server-time') || '');
    var skew = isNaN(server) ? 0 : server - loaded;  // server time minus device time
    var target = el.querySelector('strong') || el;
    function tick() {
      var left = deadline - (Date.now() + skew);
      target.textContent = format(left);
      el.classList.toggle('low', left < 60000);
      el.dispatchEvent(new CustomEvent('hoithi:tick', {detail: left}));
      if (left > 0) setTimeout(tick, 1000 - (Date.now() % 1000));
    }
    tick();
  }
  document.querySelectorAll('[data-deadline]').forEach(start);
})();
