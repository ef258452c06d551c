// A unit's video upload: the chosen file goes to /api/v1/uploads with tus-js-client (npm, served
// as /static/vendor/tus.min.js) in 8 MiB pieces; a dropped connection is retried, and after a
// reload the same file, chosen again, resumes at the last byte the server stored. Then the entry
// is watched until the server has processed the video, and the page shows the result.
(function () {
  'use strict';
  var forms = document.querySelectorAll('form[data-upload]');
  if (!window.tus || !window.tus.isSupported) {
    // The library did not load (a poor connection) or the browser is too old: say so, and keep
    // the form from submitting the page instead.
    for (var k = 0; k < forms.length; k++) {
      forms[k].querySelector('.upload-status').textContent =
        'Trình duyệt chưa tải được công cụ gửi tệp. Hãy tải lại trang, hoặc dùng trình duyệt mới hơn.';
      forms[k].addEventListener('submit', function (event) { event.preventDefault(); });
    }
    return;
  }

  var MiB = 1024 * 1024;

  function megabytes(n) {
    return (n / MiB).toLocaleString('vi-VN', { maximumFractionDigits: 1 }) + ' MB';
  }

  // The server's Vietnamese message from an error answer, or a sentence of our own.
  function messageOf(error) {
    var response = error && error.originalResponse;
    if (response) {
      try {
        var body = JSON.parse(response.getBody());
        if (body && body.error && body.error.message) return body.error.message;
      } catch (e) { /* not JSON: fall through */ }
    }
    return 'Không gửi được tệp lên máy chủ. Hãy kiểm tra kết nối mạng rồi chọn lại tệp để tải tiếp.';
  }

  // Polls the entry until processing ends, then reloads the page to show it.
  function watch(entryId, status) {
    var tick = function () {
      fetch('/api/v1/videos/' + entryId, { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (entry) {
          if (!entry) return setTimeout(tick, 5000);
          var badge = document.querySelector('[data-status-of="' + entryId + '"]');
          if (badge) badge.textContent = entry.status_label;
          if (entry.status === 'ready' || entry.status === 'rejected' || entry.status === 'draft') {
            status.textContent = entry.status === 'ready'
              ? 'Video đã sẵn sàng.' : 'Máy chủ đã xử lý xong tệp.';
            // The page again, without the notice of the form that brought the person here.
            if (location.search || location.hash) location.replace(location.pathname);
            else location.reload();
            return;
          }
          setTimeout(tick, 3000);
        })
        .catch(function () { setTimeout(tick, 5000); });
    };
    tick();
  }

  function setUp(form) {
    var entryId = form.getAttribute('data-entry');
    var input = form.querySelector('input[type="file"]');
    var button = form.querySelector('button[type="submit"]');
    var bar = form.querySelector('progress');
    var status = form.querySelector('.upload-status');
    if (form.hasAttribute('data-watch')) {
      status.textContent = 'Máy chủ đang xử lý video…';
      watch(entryId, status);
    }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var file = input.files && input.files[0];
      if (!file) return;
      button.disabled = true;
      input.disabled = true;
      bar.hidden = false;
      status.textContent = 'Đang chuẩn bị tải lên…';
      var upload = new window.tus.Upload(file, {
        endpoint: '/api/v1/uploads',
        chunkSize: 8 * MiB,
        retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000],
        headers: { 'X-CSRF-Token': form.getAttribute('data-csrf') },
        metadata: { entry_id: entryId, filename: file.name, filetype: file.type },
        // One entry's upload never resumes another's, even of the same file.
        fingerprint: function (f) {
          return Promise.resolve(['hoithi', location.host, entryId, f.name, f.size,
            f.lastModified].join('|'));
        },
        removeFingerprintOnSuccess: true,
        onProgress: function (sent, total) {
          var percent = total ? Math.floor(sent * 100 / total) : 0;
          bar.value = percent;
          status.textContent = 'Đã tải lên ' + megabytes(sent) + ' / ' + megabytes(total) +
            ' (' + percent + '%)';
        },
        onError: function (error) {
          status.textContent = messageOf(error);
          button.disabled = false;
          input.disabled = false;
        },
        onSuccess: function () {
          bar.value = 100;
          status.textContent = 'Đã tải lên xong. Máy chủ đang xử lý video…';
          watch(entryId, status);
        }
      });
      upload.findPreviousUploads().then(function (previous) {
        if (previous.length) {
          upload.resumeFromPreviousUpload(previous[0]);
          status.textContent = 'Tiếp tục lần tải lên trước…';
        }
        upload.start();
      });
    });
  }

  for (var i = 0; i < forms.length; i++) setUp(forms[i]);
})();
