// Gets a sign-in code from the chat platform the page is open in: an OAuth redirect, or the in-app JS API.
window.keluCode = function (p, tenantId, onCode, bindToken) {
  if (p.mode === 'redirect') {
    location.href = '/auth/start/' + p.platform + (bindToken ? '?bind=' + encodeURIComponent(bindToken) : '?tenant=' + encodeURIComponent(tenantId));
    return;
  }
  // DingTalk 免登: corpId comes from the app's homepage URL (?corpId=$CORPID$).
  var corpId = new URLSearchParams(location.search).get('corpId') || '';
  function ask() {
    window.dd.runtime.permission.requestAuthCode({
      corpId: corpId,
      onSuccess: function (r) { onCode(r.code); },
      onFail: function () { window.keluFail({ message: '未能取得登录授权，请在工作台中重新打开。' }); },
    });
  }
  if (window.dd) return ask();
  var s = document.createElement('script');
  s.src = 'https://g.alicdn.com/dingding/dingtalk-jsapi/3.0.25/dingtalk.open.js';
  s.onload = ask;
  document.head.appendChild(s);
};
