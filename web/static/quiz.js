// The quiz page, enhanced: answers are saved as they are chosen (PUT /api/v1/attempts/{id}/answers,
// with the page's CSRF token), progress is counted, leaving with unsaved answers asks first, "Nộp
// bài" asks first in a dialog that lists the unanswered questions, and when the server's deadline
// arrives the form is submitted with what is chosen, without asking.
(function () {
  'use strict';
  var section = document.querySelector('[data-attempt]');
  var form = document.getElementById('quiz-form');
  if (!section || !form) return;
  // Saving by itself from here on: the notice for pages without this script goes.
  var manual = document.getElementById('manual-save');
  if (manual) manual.hidden = true;
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
  // The final submit asks first; the server asks too when this script is not running (a submit
  // without confirm=1 shows its confirmation page).
  var dialog = document.getElementById('submit-dialog');
  function confirmed() {
    if (!form.querySelector('input[name="confirm"]')) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = 'confirm';
      input.value = '1';
      form.appendChild(input);
    }
    submitting = true;
  }
  function ask() {
    var questions = form.querySelectorAll('fieldset.question');
    var list = document.getElementById('submit-unanswered');
    list.textContent = '';
    var missing = 0;
    Array.prototype.forEach.call(questions, function (q) {
      if (q.querySelector('input[type="radio"]:checked')) return;
      missing++;
      var link = document.createElement('a');
      link.href = '#' + q.id;
      link.textContent = q.querySelector('.qnum').textContent.replace(/\.$/, '');
      link.addEventListener('click', function () { dialog.close(); });
      var item = document.createElement('li');
      item.appendChild(link);
      list.appendChild(item);
    });
    document.getElementById('submit-summary').textContent =
      'Bạn đã trả lời ' + (questions.length - missing) + '/' + questions.length + ' câu.' +
      (missing ? ' Còn ' + missing + ' câu chưa trả lời:' : '');
    dialog.showModal();
  }
  form.addEventListener('submit', function (e) {
    var byButton = e.submitter && e.submitter.id === 'submit-button';
    if (byButton && dialog && dialog.showModal && !form.querySelector('input[name="confirm"]')) {
      e.preventDefault();
      ask();
      return;
    }
    submitting = true;
  });
  if (dialog) {
    document.getElementById('submit-cancel').addEventListener('click', function () { dialog.close(); });
    document.getElementById('submit-confirm').addEventListener('click', function () {
      confirmed();
      dialog.close();
      form.submit();
    });
  }
  window.addEventListener('beforeunload', function (e) {
    if (submitting || !Object.keys(pending).length) return;
    e.preventDefault();
    e.returnValue = '';
  });
  var clock = document.getElementById('countdown');
  if (clock) {
    clock.addEventListener('hoithi:tick', function (e) {
      if (e.detail <= 0 && !submitting) {
        confirmed();
        if (dialog && dialog.open) dialog.close();
        say('Hết giờ, đang nộp bài…');
        form.submit();
      }
    });
  }
})();
