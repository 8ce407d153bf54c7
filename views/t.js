/* Kelu 客路 behaviour script: <script src="https://<kelu>/t.js" data-key="pk_..." async></script> */
(function (w, d) {
  var s = d.currentScript, k = s && s.getAttribute('data-key');
  if (!k || !w.JSON) return;
  var o = new URL(s.src).origin, q = new URLSearchParams(location.search), re = /^[\w-]{16,40}$/;
  var m = d.cookie.match(/(?:^|; )kelu_vid=([\w-]+)/), v = q.get('kelu_vid') || (m && m[1]) || '';
  if (!re.test(v)) {
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    v = Date.now().toString(36);
    for (var i = 0; i < 16; i++) v += (a[i] % 36).toString(36);
  }
  d.cookie = 'kelu_vid=' + v + ';path=/;max-age=31536000;SameSite=Lax';
  var sent = {};
  function track(e, id) {
    id = String(id || e).slice(0, 64);
    if (sent[e + id]) return;
    sent[e + id] = 1;
    var b = JSON.stringify({ k: k, v: v, e: e, id: id });
    if (!(navigator.sendBeacon && navigator.sendBeacon(o + '/t/e', b))) fetch(o + '/t/e', { method: 'POST', body: b, keepalive: true, mode: 'no-cors' });
  }
  function fill() { d.querySelectorAll('input[name=kelu_vid]').forEach(function (x) { x.value = v; }); }
  w.kelu = { vid: v, track: track };
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', fill); else fill();
  // Seconds actually played (not skipped), per video: 60 s is a watched video.
  d.addEventListener('timeupdate', function (ev) {
    var x = ev.target, c = x.currentTime, p = x.keluT || 0;
    if (x.tagName !== 'VIDEO') return;
    if (c > p && c - p < 2) x.keluW = (x.keluW || 0) + c - p;
    x.keluT = c;
    if (x.keluW >= 60) track('video', x.getAttribute('data-kelu-id') || x.currentSrc || 'video');
  }, true);
  d.addEventListener('click', function (ev) {
    var a = ev.target.closest && ev.target.closest('a[download],[data-kelu]');
    if (a && a.tagName !== 'FORM') track(a.getAttribute('data-kelu') || 'download', a.getAttribute('data-kelu-id') || a.getAttribute('href'));
  }, true);
  d.addEventListener('submit', function (ev) {
    var f = ev.target, e = f.getAttribute('data-kelu');
    fill();
    if (e) track(e, f.getAttribute('data-kelu-id'));
  }, true);
})(window, document);
