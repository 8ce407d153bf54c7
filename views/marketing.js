// 推广与线索来源: tracked links, behaviour points and the landing-page script, lead sources and their notices.
(function () {
  var data = JSON.parse(document.getElementById('data').textContent);
  var TARGETS = { phone: '电话', name: '姓名', company: '单位', email: '邮箱', wechatId: '微信', region: '地区', text: '留言', campaign: '活动', known: '仅保留原始数据' };
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]); });
    (kids || []).forEach(function (k) { if (k) e.appendChild(typeof k === 'string' ? document.createTextNode(k) : k); });
    return e;
  }
  function api(method, path, body) {
    var h = { 'x-kelu-csrf': data.csrf };
    if (body !== undefined) h['content-type'] = 'application/json';
    return fetch(path, { method: method, headers: h, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) }).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) throw j.error || { message: '请求失败' }; return j; });
    });
  }
  function show(id, e) { $(id).textContent = e ? (e.message || '出错了') : ''; }
  $('who').textContent = data.user.name + '（' + data.tenantName + '）';

  var loaders = {};
  function route() {
    var tab = (location.hash || '#links').slice(1);
    if (!loaders[tab]) tab = 'links';
    document.querySelectorAll('main > section').forEach(function (s) { s.hidden = s.id !== tab; });
    document.querySelectorAll('#tabs a').forEach(function (a) { a.className = a.getAttribute('href') === '#' + tab ? 'on' : ''; });
    loaders[tab]();
  }
  window.addEventListener('hashchange', route);

  loaders.links = function () {
    api('GET', '/api/v1/tracking/links').then(function (j) {
      $('link-rows').replaceChildren.apply($('link-rows'), j.items.map(function (l) {
        return el('tr', {}, [el('td', {}, [el('b', { text: l.campaign }), el('br'), el('span', { class: 'tag', text: l.channel })]), el('td', { class: 'mono', text: l.url }),
          el('td', { text: String(l.clicks) }), el('td', { class: 'opt', text: String(l.visitors) }), el('td', { text: String(l.customers) }), el('td', { class: 'opt', text: String(l.points) })]);
      }));
    }, function (e) { show('link-err', e); });
  };
  $('link-form').onsubmit = function (ev) {
    ev.preventDefault();
    show('link-err');
    api('POST', '/api/v1/tracking/links', { campaign: $('l-campaign').value, channel: $('l-channel').value, landingUrl: $('l-url').value }).then(function (l) {
      $('link-new').textContent = '已生成：' + l.url;
      $('link-form').reset();
      loaders.links();
    }, function (e) { show('link-err', e); });
  };

  function showSettings(s) {
    var f = $('points-fields');
    f.replaceChildren.apply(f, Object.keys(s.points).map(function (k) {
      return el('div', {}, [el('label', { for: 'p-' + k, text: s.labels[k] }), el('input', { id: 'p-' + k, type: 'number', min: '0', max: '1000', step: '0.5', class: 'w', value: String(s.points[k]) })]);
    }));
    $('snippet').textContent = s.snippet;
  }
  loaders.points = function () { api('GET', '/api/v1/settings/tracking').then(showSettings, function (e) { show('points-err', e); }); };
  $('points-form').onsubmit = function (ev) {
    ev.preventDefault();
    var points = {};
    document.querySelectorAll('#points-fields input').forEach(function (i) { points[i.id.slice(2)] = Number(i.value); });
    show('points-err'); $('points-ok').textContent = '';
    api('PUT', '/api/v1/settings/tracking', { points: points }).then(function (s) { showSettings(s); $('points-ok').textContent = '已保存'; }, function (e) { show('points-err', e); });
  };
  $('rotate').onclick = function () {
    if (confirm('更换后，落地页上的旧脚本不再计分，需要换成新的一行。继续？')) api('POST', '/api/v1/settings/tracking/key').then(showSettings, function (e) { show('points-err', e); });
  };

  var presetsLoaded = false;
  loaders.sources = function () {
    if (!presetsLoaded) api('GET', '/api/v1/intake/presets').then(function (j) {
      presetsLoaded = true;
      $('s-preset').replaceChildren.apply($('s-preset'), j.items.map(function (p) { return el('option', { value: p.key, text: p.label }); }));
    });
    api('GET', '/api/v1/intake/sources').then(function (j) {
      $('source-rows').replaceChildren.apply($('source-rows'), j.items.map(function (s) {
        return el('tr', {}, [el('td', { text: s.name }), el('td', { class: 'opt', text: s.presetLabel }), el('td', { class: 'mono', text: s.url }),
          el('td', { text: String(s.captured) }), el('td', {}, [s.notices ? el('span', { class: 'tag', text: s.notices + ' 个新字段' }) : null, s.uncaptured ? el('span', { class: 'tag off', text: s.uncaptured + ' 条未识别' }) : null])]);
      }));
    });
    api('GET', '/api/v1/intake/notices').then(function (j) {
      $('notices-card').hidden = j.items.length === 0;
      $('notice-rows').replaceChildren.apply($('notice-rows'), j.items.map(function (n) {
        var pick = el('select', { 'aria-label': '作为' }, [el('option', { value: '', text: '选择含义…' })].concat(Object.keys(TARGETS).map(function (k) { return el('option', { value: k, text: TARGETS[k] }); })));
        pick.onchange = function () {
          if (!pick.value) return;
          api('POST', '/api/v1/intake/sources/' + n.sourceId + '/fields', { field: n.field, as: pick.value }).then(loaders.sources, function (e) { show('notice-err', e); });
        };
        return el('tr', {}, [el('td', { text: n.source }), el('td', { class: 'mono', text: n.field }), el('td', { class: 'opt mono', text: n.sample || '' }), el('td', { text: String(n.seen) }), el('td', {}, [pick])]);
      }));
    }, function (e) { show('notice-err', e); });
  };
  $('source-form').onsubmit = function (ev) {
    ev.preventDefault();
    show('source-err');
    api('POST', '/api/v1/intake/sources', { name: $('s-name').value, preset: $('s-preset').value }).then(function (s) {
      var box = $('source-new');
      box.hidden = false;
      box.replaceChildren(el('p', { text: '已创建。把推送地址和下面的密钥填到来源后台（密钥只显示这一次）：' }), el('p', { class: 'mono', text: s.url }),
        el('p', { class: 'mono', text: Object.keys(s.secrets).map(function (k) { return k + ' = ' + s.secrets[k]; }).join('\n') }));
      $('source-form').reset();
      loaders.sources();
    }, function (e) { show('source-err', e); });
  };
  route();
})();
