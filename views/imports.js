// Imports (upload, mapping, preview, streamed progress, report) and exports, all through /api/v1.
(function () {
  var data = JSON.parse(document.getElementById('data').textContent);
  var FIELDS = { name: '姓名', phone: '电话', email: '邮箱', wechat_id: '微信号', company: '单位', title: '职务', region: '地区', tags: '标签', custom: '自定义字段', skip: '不导入' };
  var BY = { synonym: '按表头', values: '按内容', remembered: '上次的选择', none: '' };
  var STATUS = { analyzed: '待确认', running: '导入中', done: '完成', failed: '失败' };
  var job = null;
  var mapping = {};
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]); });
    (kids || []).forEach(function (k) { if (k) e.appendChild(typeof k === 'string' ? document.createTextNode(k) : k); });
    return e;
  }
  function call(method, path, body, raw) {
    var h = { 'x-kelu-csrf': data.csrf };
    if (body !== undefined && !raw) h['content-type'] = 'application/json';
    return fetch(path, { method: method, headers: h, credentials: 'same-origin', body: body === undefined ? undefined : raw ? body : JSON.stringify(body) }).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) throw (j && j.error) || { message: '请求失败' }; return j; });
    });
  }
  function errText(e) { return (e.message || '出错了') + (e.code ? '（' + e.code + '）' : ''); }
  function countsText(c) { return '新建 ' + c.created + ' · 并入已有客户 ' + c.merged + '（其中无变化 ' + c.unchanged + '） · 记下冲突 ' + c.conflicts + ' · 拒绝 ' + c.rejected; }

  $('who').textContent = data.user.name + '（' + data.tenantName + '）';
  $('file').onchange = function () { $('upload').disabled = !$('file').files.length; };

  $('upload').onclick = function () {
    var f = $('file').files[0];
    if (!f) return;
    $('upload-err').textContent = '';
    $('upload-ok').textContent = '正在读取文件…';
    $('upload').disabled = true;
    call('POST', '/api/v1/imports?name=' + encodeURIComponent(f.name), f, true).then(function (j) {
      $('upload').disabled = false;
      job = j;
      $('upload-ok').textContent = j.duplicate ? '这个文件已经上传过（' + STATUS[j.status] + '），不会重复导入。' : '已读取 ' + j.totalRows + ' 行，请确认字段对应。';
      if (j.status === 'analyzed') showMapping(j); else { $('mapping-card').hidden = true; showProgress(j.progress); if (j.status === 'running') follow(j.id); }
      loadJobs();
    }).catch(function (e) { $('upload').disabled = false; $('upload-ok').textContent = ''; $('upload-err').textContent = errText(e); });
  };

  function showMapping(j) {
    mapping = Object.assign({}, j.mapping);
    $('mapping-card').hidden = false;
    $('progress-card').hidden = true;
    $('job-info').textContent = j.fileName + ' · ' + j.totalRows + ' 行' + (j.encoding ? ' · ' + j.encoding.toUpperCase() : '');
    var rows = $('mapping-rows');
    rows.textContent = '';
    j.proposals.forEach(function (p) {
      var sel = el('select', { 'aria-label': p.header });
      Object.keys(FIELDS).forEach(function (k) { var o = el('option', { value: k, text: FIELDS[k] }); if (mapping[p.header] === k) o.selected = true; sel.appendChild(o); });
      sel.onchange = function () { mapping[p.header] = sel.value; preview(); };
      rows.appendChild(el('tr', {}, [el('td', {}, [el('b', { text: p.header }), BY[p.by] ? el('div', { class: 'small muted', text: BY[p.by] }) : null]), el('td', { class: 'opt small muted', text: p.samples.join('、') }), el('td', {}, [sel])]));
    });
    renderPreview(j.preview);
  }

  function preview() {
    call('POST', '/api/v1/imports/' + job.id + '/preview', { mapping: mapping }).then(function (j) { renderPreview(j.preview); $('start-err').textContent = ''; })
      .catch(function (e) { $('start-err').textContent = errText(e); });
  }

  function renderPreview(list) {
    var rows = $('preview-rows');
    rows.textContent = '';
    var bad = 0;
    list.forEach(function (r) {
      if (r.rejected) bad++;
      var who = [r.parsed.profile.name || '（无姓名）', r.parsed.profile.company, r.parsed.identities.map(function (i) { return i.value; }).join(' ')].filter(Boolean).join(' · ');
      var problems = r.problems.map(function (p) { return (p.severity === 'error' ? '✕ ' : '! ') + (p.column ? p.column + '：' : '') + p.message; }).join('\n') || '—';
      rows.appendChild(el('tr', { class: r.rejected ? 'rejected' : '' }, [el('td', { text: String(r.rowNo) }), el('td', { text: who }), el('td', { class: r.rejected ? 'err' : r.problems.length ? 'warn' : 'muted', text: problems })]));
    });
    $('preview-sum').textContent = '前 ' + list.length + ' 行中 ' + bad + ' 行会被拒绝（✕），' + list.filter(function (r) { return !r.rejected && r.problems.length; }).length + ' 行有提示（!）。';
  }

  $('start').onclick = function () {
    $('start').disabled = true;
    call('POST', '/api/v1/imports/' + job.id + '/start', { mapping: mapping }).then(function (j) {
      $('start').disabled = false;
      $('mapping-card').hidden = true;
      showProgress(j.progress);
      follow(j.id);
    }).catch(function (e) { $('start').disabled = false; $('start-err').textContent = errText(e); });
  };

  function showProgress(p) {
    $('progress-card').hidden = false;
    $('bar').max = Math.max(1, p.totalRows);
    $('bar').value = p.rowsDone;
    var pct = p.totalRows ? Math.floor(100 * p.rowsDone / p.totalRows) : 0;
    $('progress-text').textContent = STATUS[p.status] + ' · 已处理 ' + p.rowsDone + ' / ' + p.totalRows + ' 行（' + pct + '%） · ' + countsText(p.counts) + (p.error ? ' · ' + p.error.message : '');
    $('report').hidden = !(p.status === 'done' || p.status === 'failed');
    $('report-link').href = '/api/v1/imports/' + p.jobId + '/report';
  }

  // Progress streamed by the server (SSE): one event per committed chunk.
  function follow(id) {
    var es = new EventSource('/api/v1/imports/' + id + '/events');
    es.addEventListener('progress', function (ev) {
      var p = JSON.parse(ev.data);
      showProgress(p);
      if (p.status !== 'running') { es.close(); loadJobs(); }
    });
    es.onerror = function () { es.close(); setTimeout(function () { call('GET', '/api/v1/imports/' + id).then(function (j) { showProgress(j.progress); if (j.status === 'running') follow(id); }); }, 2000); };
  }

  function loadJobs() {
    call('GET', '/api/v1/imports').then(function (j) {
      var rows = $('jobs');
      rows.textContent = '';
      j.items.forEach(function (x) {
        var link = x.status === 'done' || x.status === 'failed' ? el('a', { href: '/api/v1/imports/' + x.id + '/report', text: '下载' }) : el('span', { class: 'muted', text: '—' });
        rows.appendChild(el('tr', {}, [el('td', { text: x.fileName }), el('td', { text: STATUS[x.status] + (x.status === 'running' ? ' ' + x.progress.rowsDone + '/' + x.totalRows : '') }), el('td', { class: 'opt small', text: x.status === 'analyzed' ? '' : countsText(x.progress.counts) }), el('td', {}, [link])]));
      });
    });
  }

  function exportHref() {
    var what = $('x-what').value;
    $('x-q-box').hidden = what !== 'customers';
    $('x-status-box').hidden = what !== 'leads';
    var q = ['format=' + $('x-format').value];
    if (what === 'customers' && $('x-q').value.trim()) q.push('q=' + encodeURIComponent($('x-q').value.trim()));
    if (what === 'leads' && $('x-status').value) q.push('status=' + $('x-status').value);
    $('x-go').href = '/api/v1/export/' + what + '?' + q.join('&');
  }
  ['x-what', 'x-format', 'x-q', 'x-status'].forEach(function (id) { $(id).addEventListener('input', exportHref); $(id).addEventListener('change', exportHref); });
  exportHref();
  loadJobs();
})();
