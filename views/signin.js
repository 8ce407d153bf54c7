// Sign-in page (and the shared problem page): demo users, or the chat platform this page is open in.
(function () {
  var el = document.getElementById('data');
  var data = el ? JSON.parse(el.textContent) : {};
  function $(id) { return document.getElementById(id); }
  function text(id, t) { var e = $(id); if (e) e.textContent = t; }

  var MESSAGES = {
    binding_link_used: '这个绑定链接已经用过了。如需重新绑定，请联系管理员生成新的链接。',
    binding_link_expired: '这个绑定链接已过期，请联系管理员生成新的链接。',
    binding_link_invalid: '这个绑定链接无效，请核对链接或联系管理员。',
    invalid_code: '登录授权无效或已过期（也可能属于其他企业），请在工作台中重新打开客路。',
    user_inactive: '你的客路账号已停用，请联系管理员。',
    platform_not_configured: '这家公司还没有配置这个平台，请联系管理员。',
    rate_limited: '尝试太频繁，请稍后再试。',
  };
  if ($('problem')) {
    var d = data.details || {};
    text('msg', d.admins ? '你的' + (d.label || '') + '账号还没有绑定客路用户。请联系管理员' + (d.admins.length ? '：' + d.admins.join('、') : '') + '，请他在管理后台邀请你并发送绑定链接。' : (MESSAGES[data.code] || data.message || ''));
    text('code', data.code || '');
    return;
  }

  text('tenant', data.tenantName || '');
  function fail(e) {
    text('platform-msg', '');
    var d = (e && e.details) || {};
    if (e && e.code === 'account_not_bound') text('error', '你的' + (d.label || '') + '账号还没有绑定客路用户。请联系管理员' + (d.admins && d.admins.length ? '：' + d.admins.join('、') : '') + '。');
    else text('error', (e && MESSAGES[e.code]) || (e && e.message) || '登录失败');
  }
  function post(path, body) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw j.error || {}; return j; }); });
  }
  window.keluPost = post;
  window.keluFail = fail;
  if (!$('platform')) return; // the binding page uses only the helpers above

  if (data.demo) {
    $('demo').hidden = false;
    var roles = { admin: '管理员', manager: '经理', rep: '销售' };
    (data.users || []).forEach(function (u) {
      var li = document.createElement('li');
      var name = document.createElement('span');
      name.textContent = u.name;
      var tag = document.createElement('span');
      tag.className = 'tag';
      tag.textContent = roles[u.role] + (u.region ? ' · ' + u.region : '');
      var b = document.createElement('button');
      b.textContent = '登录';
      b.onclick = function () {
        post('/auth/demo', { tenantId: data.tenantId, userId: u.id }).then(function (j) { location.href = j.redirect; }, fail);
      };
      li.append(name, tag, b);
      $('users').appendChild(li);
    });
    return;
  }

  $('platform').hidden = false;
  var ua = navigator.userAgent;
  var here = (data.platforms || []).filter(function (p) { return new RegExp(p.userAgent, 'i').test(ua); })[0];
  if (!here) {
    var names = (data.platforms || []).map(function (p) { return p.label; }).join('或');
    text('platform-msg', '请在' + (names || '企业微信或钉钉') + '的工作台中打开客路，会自动登录。');
    return;
  }
  text('platform-msg', '正在通过' + here.label + '登录…');
  window.keluCode(here, data.tenantId, function (code) {
    post('/auth/signin', { tenantId: data.tenantId, platform: here.platform, code: code }).then(function (j) { location.href = j.redirect; }, fail);
  }, '');
})();
