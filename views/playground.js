// The playground: four chats of the demo company side by side (tabs on a phone). Everything shown
// comes from /api/v1/playground/state, i.e. from what the fake platform received.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('data').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var st = { platform: (data.platforms[0] || {}).name, state: null, rep: null, seen: '', signedAs: null, sideFor: null };

  function h(tag, attrs) {
    var el = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === 'text') el.textContent = attrs[k];
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), attrs[k]);
      else el.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) if (arguments[i]) el.appendChild(arguments[i]);
    return el;
  }
  function call(method, path, body) {
    $('error').textContent = '';
    return fetch(path, { method: method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined, credentials: 'same-origin' })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw j.error || { message: '请求失败' }; return j; }); })
      .catch(function (e) { $('error').textContent = (e && e.message) || '请求失败'; throw e; });
  }
  var api = function (method, path, body) { return call(method, '/api/v1/playground' + path, body); };
  function time(at) { var d = new Date(at); return ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2); }

  function card(b, as) {
    var c = b.card;
    var dl = h('dl');
    c.fields.forEach(function (f) { dl.appendChild(h('dt', { text: f.label })); dl.appendChild(h('dd', { text: f.value })); });
    var btns = h('div', { class: 'btns' });
    var press = function (key) { return function (ev) { ev.target.disabled = true; api('POST', '/press', { platform: st.platform, as: as, bubble: b.id, key: key }).then(show, function () { ev.target.disabled = false; }); }; };
    if (!c.done) {
      c.buttons.forEach(function (x) { btns.appendChild(h('button', { text: x.text, 'data-key': x.key, class: x.primary ? 'primary' : '', onclick: press(x.key) })); });
      if (c.choice) c.choice.options.forEach(function (o) { btns.appendChild(h('button', { text: o.text, 'data-key': o.id, onclick: press(o.id) })); });
    }
    return h('div', { class: 'kcard', 'data-id': b.id },
      h('b', { text: c.title }),
      c.description ? h('div', { class: 'desc', text: c.description }) : null,
      c.choice && !c.done ? h('div', { class: 'desc', text: c.choice.title }) : null,
      c.fields.length ? dl : null,
      c.done ? h('div', { class: 'done', text: c.done }) : btns,
      h('span', { class: 'small muted', text: time(b.at) }));
  }
  function chat(el, items, as) {
    el.textContent = '';
    items.forEach(function (b) {
      el.appendChild(b.card ? card(b, as) : h('div', { class: 'msg' + (b.mine ? ' mine' : '') }, h('span', { class: 'meta', text: (b.mine ? '我 ' : '客路 ') + time(b.at) }), document.createTextNode(b.text || '')));
    });
    if (!items.length) el.appendChild(h('p', { class: 'small muted', text: '还没有消息。' }));
    el.scrollTop = el.scrollHeight;
  }

  function render(s) {
    var reps = s.reps, pick = $('rep-pick');
    if (!st.rep || !reps.some(function (r) { return r.account === st.rep; })) st.rep = reps[0] && reps[0].account;
    if (pick.options.length !== reps.length) {
      pick.textContent = '';
      reps.forEach(function (r) { pick.appendChild(h('option', { value: r.account, text: r.name })); });
    }
    pick.value = st.rep;
    var mgr = s.managers[0];
    $('mgr-name').textContent = mgr ? mgr.name : '经理';
    var rep = reps.filter(function (r) { return r.account === st.rep; })[0];
    var cc = $('chat-customer');
    cc.textContent = '';
    s.customerChat.forEach(function (l) {
      cc.appendChild(h('div', { class: 'msg', 'data-line': l.id }, h('span', { class: 'meta', text: '客户 ' + time(l.at) }), document.createTextNode(l.text),
        h('div', { class: 'act' }, h('button', { text: '转发给客路', onclick: function (ev) { ev.target.disabled = true; api('POST', '/forward', { platform: st.platform, as: st.rep, line: l.id }).then(show); } }))));
    });
    if (!s.customerChat.length) cc.appendChild(h('p', { class: 'small muted', text: '以客户身份说点什么，比如“我是某某医院的王主任，电话……，想了解……”，再以' + (rep ? rep.name : '销售') + '的身份转发给客路。' }));
    chat($('chat-rep'), s.chats[st.rep] || [], st.rep);
    chat($('chat-mgr'), mgr ? s.chats[mgr.account] || [] : [], mgr && mgr.account);
    side(s.customerId, rep);
  }

  // The sidebar signs in as the rep (the demo company's sign-in) and opens the customer in view.
  function side(customerId, rep) {
    if (!customerId || !rep) return;
    var key = customerId + '/' + rep.id;
    if (st.sideFor === key) return;
    st.sideFor = key;
    var go = st.signedAs === rep.id ? Promise.resolve() : call('POST', '/auth/demo', { tenantId: data.tenantId, userId: rep.id }).then(function () { st.signedAs = rep.id; });
    go.then(function () {
      $('side-empty').hidden = true;
      $('side').hidden = false;
      $('side').src = '/sidebar?tenant=' + encodeURIComponent(data.tenantId) + '&customer=' + encodeURIComponent(customerId);
    }, function () { st.sideFor = null; });
  }

  function show(s) {
    var json = JSON.stringify(s);
    if (json === st.seen) return;
    st.seen = json;
    st.state = s;
    render(s);
  }
  function poll() {
    if (document.hidden) return;
    api('GET', '/state?platform=' + encodeURIComponent(st.platform)).then(show, function () {});
  }

  function platforms() {
    var el = $('platforms');
    el.textContent = '';
    data.platforms.forEach(function (p) {
      el.appendChild(h('button', { text: p.label, role: 'tab', 'data-platform': p.name, class: p.name === st.platform ? 'on' : '', onclick: function () {
        st.platform = p.name; st.seen = ''; st.sideFor = null; platforms(); poll();
      } }));
    });
  }
  data.scenarios.forEach(function (sc) {
    $('scenarios').appendChild(h('button', { text: sc.label, 'data-scenario': sc.name, onclick: function (ev) {
      $('hint').textContent = sc.hint;
      ev.target.disabled = true;
      api('POST', '/scenario', { platform: st.platform, name: sc.name, as: st.rep }).then(show).then(function () { ev.target.disabled = false; }, function () { ev.target.disabled = false; });
    } }));
  });
  $('scenarios').appendChild(h('button', { text: '快进 30 分钟', title: '只快进演示公司的时钟（待认领超时、提醒）', onclick: function () {
    api('POST', '/clock', { minutes: 30 }).then(function (r) { $('hint').textContent = '演示时钟已快进 30 分钟（' + r.moved + ' 个定时任务提前）。'; });
  } }));

  $('f-customer').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var t = $('t-customer').value.trim();
    if (!t) return;
    api('POST', '/customer', { platform: st.platform, text: t }).then(function (s) { $('t-customer').value = ''; show(s); });
  });
  $('f-rep').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var t = $('t-rep').value.trim();
    if (!t) return;
    api('POST', '/say', { platform: st.platform, as: st.rep, text: t }).then(function (s) { $('t-rep').value = ''; show(s); });
  });
  $('rep-pick').addEventListener('change', function () { st.rep = $('rep-pick').value; st.sideFor = null; if (st.state) render(st.state); });
  Array.prototype.forEach.call(document.querySelectorAll('#tabs a'), function (a) {
    a.addEventListener('click', function (ev) {
      ev.preventDefault();
      Array.prototype.forEach.call(document.querySelectorAll('#tabs a'), function (x) { x.className = x === a ? 'on' : ''; });
      Array.prototype.forEach.call(document.querySelectorAll('.pane'), function (p) { p.className = 'pane' + (p.id === 'pane-' + a.getAttribute('data-pane') ? ' on' : ''); });
    });
  });

  platforms();
  poll();
  setInterval(poll, 1000);
})();
