// The quiz page, enhanced: answers are saved as they are chosen (PUT /api/v1/attempts/{id}/answers,
// with the page's CSRF token), progress is counted, leaving with unsaved answers asks first, and
// when the server's deadline arrives the form is submitted with what is chosen.
(function () {
  'use strict';
  var section = document.querySelector('[data-attempt]');
  var form = document.getElementById('quiz-form');
  if (!section || !form) return;
  var id = section.getAttribute('data-attempt');
  var csrf = form.querySelector('input[name="_csrf"]').value;
  var status = document.getElementById('save-status');
  var answeredEl = document.getElementById('answered');
  var pending = {};
  var timer = null;
  var submitting = false;

  function answered() {
    return form.querySelectorAll('input[type="radio"]:checked').length;
  }
  function say(text) { if (status) status.textContent = text; }
  function time() {
    var d = new Date();
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
  }
  function flush() {
    var answers = Object.keys(pending).map(function (q) {
      return {question_id: Number(q), option_id: Number(pending[q])};
    });
    if (!answers.length) return Promise.resolve();
    var sent = pending;
    pending = {};
    say('Đang lưu…');
    return fetch('/api/v1/attempts/' + id + '/answers', {
      method: 'PUT',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
      body: JSON.stringify({answers: answers})
    }).then(function (r) {
      if (r.ok) {
        say('Đã lưu lúc ' + time());
      } else {
        Object.keys(sent).forEach(function (q) { if (!(q in pending)) pending[q] = sent[q]; });
        say(r.status === 409 ? 'Bài thi đã kết thúc.' : 'Chưa lưu được, sẽ thử lại.');
        if (r.status !== 409) schedule(3000);
      }
    }).catch(function () {
      Object.keys(sent).forEach(function (q) { if (!(q in pending)) pending[q] = sent[q]; });
      say('Mất kết nối, sẽ thử lưu lại.');
      schedule(3000);
    });
  }
  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(flush, ms);
  }
  form.addEventListener('change', function (e) {
    var t = e.target;
    if (t.type !== 'radio' || t.name.indexOf('q_') !== 0) return;
    pending[t.name.slice(2)] = t.value;
    if (answeredEl) answeredEl.textContent = answered();
    schedule(400);
  });
  form.addEventListener('submit', function () { submitting = true; });
  window.addEventListener('beforeunload', function (e) {
    if (submitting || !Object.keys(pending).length) return;
    e.preventDefault();
    e.returnValue = '';
  });
  var clock = document.getElementById('countdown');
  if (clock) {
    clock.addEventListener('hoithi:tick', function (e) {
      if (e.detail <= 0 && !submitting) {
        submitting = true;
        say('Hết giờ, đang nộp bài…');
        form.submit();
      }
    });
  }
})();
