// Binding page: the invited person opens their one-time link inside WeCom or DingTalk and binds.
(function () {
  var data = JSON.parse(document.getElementById('data').textContent);
  function $(id) { return document.getElementById(id); }
  $('name').textContent = data.userName;
  $('tenant').textContent = data.tenantName;
  var here = (data.platforms || []).filter(function (p) { return new RegExp(p.userAgent, 'i').test(navigator.userAgent); })[0];
  if (!here) {
    var names = (data.platforms || []).map(function (p) { return p.label; }).join('或');
    $('hint').textContent = '请在' + (names || '企业微信或钉钉') + '中打开这个链接（或用它扫描管理员发给你的二维码），登录后即完成绑定。';
    return;
  }
  $('hint').textContent = '将把你当前登录的' + here.label + '账号绑定到这个客路用户。';
  $('go').hidden = false;
  $('go').onclick = function () {
    $('go').disabled = true;
    window.keluCode(here, data.tenantId, function (code) {
      window.keluPost('/auth/bind', { token: data.token, platform: here.platform, code: code }).then(function (j) { location.href = j.redirect; }, function (e) {
        $('go').disabled = false;
        if (e.code === 'binding_link_used') $('error').textContent = '这个绑定链接已经用过了，请联系管理员重新生成。';
        else if (e.code === 'account_already_bound') $('error').textContent = '你的' + here.label + '账号已绑定到另一个客路用户，请联系管理员。';
        else window.keluFail(e);
      });
    }, data.token);
  };
})();
