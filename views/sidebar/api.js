// JSON calls to /api/v1 with the session's CSRF token; errors become Chinese sentences for the page.
var csrf = null;
export function setCsrf(t) { csrf = t; }

var MESSAGES = {
  url_not_ours: '这个页面地址不是本服务的侧边栏地址，平台不会接受它的签名。请在平台后台把侧边栏地址设为本服务的 /sidebar。',
  customer_not_visible: '这位客户由同事负责，你无权查看。请联系负责人或经理。',
  not_found: '没有找到这位客户（或你无权查看）。',
  payload_too_large: '内容太长：一次最多粘贴 5000 字，请分段归档。',
  session_expired: '登录已过期，请重新打开侧边栏。',
  invalid_session: '登录已失效，请重新打开侧边栏。',
  session_revoked: '你的账号已停用。',
  session_required: '请先登录。',
  unauthorized: '请先登录。',
  tenant_mismatch: '你登录的是另一家公司的账号。',
  csrf_required: '页面已过期，请刷新。',
  managers_only: '只有经理和管理员可以使用这个功能。',
  contact_not_found: '平台上找不到这位外部联系人（可能不是你的客户）。',
  account_not_bound: '你的聊天账号还没有绑定客路用户，请联系管理员。',
  platform_unavailable: '聊天平台暂时无法访问，请稍后再试。',
  robot_not_configured: '公司尚未配置可发群消息的酷应用。',
  already_answered: '这个问题已经有人回答了。',
  task_closed: '这个待办已经关闭了。',
  no_conflict: '这个字段的冲突已经处理过了。',
};

export function messageOf(e) {
  if (!e) return '出错了';
  if (e.code === 'invalid_body' && /at most 5000/.test(e.message || '')) return '内容太长：一段最多 5000 字，请分段归档。';
  return MESSAGES[e.code] || e.message || '出错了';
}

export function api(method, path, body) {
  var headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['x-kelu-csrf'] = csrf;
  return fetch(path, { method: method, headers: headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) }).then(function (r) {
    if (r.status === 204) return null;
    return r.json().catch(function () { return {}; }).then(function (j) {
      if (!r.ok) { var e = (j && j.error) || { code: 'http_' + r.status }; e.status = r.status; throw e; }
      return j;
    });
  });
}
