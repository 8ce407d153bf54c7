// The sidebar: opened in a chat's side panel, it knows (or finds) the customer and shows the panel.
import { api, messageOf, setCsrf } from './api.js';
import { pickBridge } from './bridges.js';
import { $, clear, h, setTimeZone, toast } from './dom.js';
import { showCustomer, renderCustomer } from './panel.js';
import { initArchive } from './archive.js';
import { showHeat } from './heatmap.js';
import { showReplies } from './replies.js';
import { showStage } from './stage.js';

var data = JSON.parse($('data').textContent);
var state = { data: data, bridge: pickBridge(data.platforms), customer: null, tab: 'info' };
window.__sidebar = state; // for a person debugging in the webview's console

function fail(msg) {
  $('status').hidden = false;
  $('status').className = 'card err';
  $('status').textContent = msg;
}

function signIn() {
  var b = state.bridge;
  var p = b && data.signIn.filter(function (x) { return x.platform === b.platform; })[0];
  if (!p) return fail('请在企业微信或钉钉的聊天侧边栏里打开本页，或先在浏览器中登录客路。');
  if (p.mode === 'redirect') {
    location.href = '/auth/start/' + p.platform + '?tenant=' + encodeURIComponent(data.tenantId) + '&next=sidebar';
    return;
  }
  $('status').textContent = '正在登录…';
  b.authCode(data.passed.corpId || '').then(function (code) {
    return api('POST', '/auth/signin', { tenantId: data.tenantId, platform: p.platform, code: code });
  }).then(function () { location.reload(); }, function (e) {
    fail(e && e.code === 'account_not_bound' ? '你的' + p.label + '账号还没有绑定客路用户，请联系管理员：' + ((e.details && e.details.admins) || []).join('、') : messageOf(e));
  });
}

function showSearch(note) {
  $('pick').hidden = false;
  $('pick-note').textContent = note || '';
  $('q').focus();
}

function search(ev) {
  ev.preventDefault();
  var q = $('q').value.trim();
  if (!q) return;
  api('GET', '/api/v1/sidebar/search?q=' + encodeURIComponent(q)).then(function (r) {
    var ul = clear($('results'));
    if (!r.items.length) ul.appendChild(h('li', { class: 'muted', text: '没有找到，换个姓名、电话或单位试试。' }));
    r.items.forEach(function (c) {
      var phone = c.identities.filter(function (i) { return i.kind === 'phone'; }).map(function (i) { return i.value; })[0] || '';
      ul.appendChild(h('li', { class: 'hit', 'data-id': c.id, onclick: function () { open(c.id); } },
        h('div', null, h('b', { text: (c.name || '未具名') + (c.title || '') }), h('div', { class: 'small muted', text: [c.company, phone].filter(Boolean).join(' · ') })),
        h('button', { class: 'primary', text: '打开' })));
    });
  }, function (e) { toast(messageOf(e), true); });
}

export function open(id) {
  $('pick').hidden = true;
  $('status').hidden = true;
  return showCustomer(state, id).then(function () {
    $('panel').hidden = false;
    selectTab(state.tab);
  }, function (e) { fail(messageOf(e)); });
}

function selectTab(name) {
  state.tab = name;
  Array.prototype.forEach.call(document.querySelectorAll('#tabs a'), function (a) { a.className = a.getAttribute('data-tab') === name ? 'on' : ''; });
  Array.prototype.forEach.call(document.querySelectorAll('.tab'), function (s) { s.hidden = s.id !== 'tab-' + name; });
  if (name === 'heat') showHeat(state);
  if (name === 'replies') showReplies(state);
  if (name === 'stage') showStage(state);
}

function start() {
  if (data.otherTenant) return fail('你当前登录的是另一家公司的账号，不能查看「' + data.tenantName + '」的客户。请退出后用本公司账号重新打开。');
  if (!data.user) return signIn();
  setCsrf(data.csrf);
  $('who').textContent = data.user.name;
  $('q-form').addEventListener('submit', search);
  $('switch').addEventListener('click', function (e) { e.preventDefault(); $('panel').hidden = true; showSearch(); });
  Array.prototype.forEach.call(document.querySelectorAll('#tabs a'), function (a) {
    a.addEventListener('click', function (e) { e.preventDefault(); selectTab(a.getAttribute('data-tab')); });
  });
  initArchive(state, function () { return showCustomer(state, state.customer.id); });
  api('GET', '/api/v1/sidebar/platforms').then(function (r) {
    state.sendModes = {};
    r.items.forEach(function (x) { state.sendModes[x.platform] = x.send; });
  }, function () {});
  var b = state.bridge;
  var hint = new URLSearchParams(location.search).get('customer');
  if (hint) return open(hint);
  if (!b || b.searches) {
    $('status').hidden = true;
    return showSearch(b ? '钉钉群里无法直接识别客户：按姓名、电话或单位搜索。' : '');
  }
  $('status').textContent = '正在识别聊天对象…';
  b.contact().then(function (contactId) {
    if (!contactId) { $('status').hidden = true; return showSearch('这个会话不是单个客户：按姓名、电话或单位搜索。'); }
    return api('POST', '/api/v1/sidebar/open', { platform: b.platform, contactId: contactId }).then(function (r) {
      if (r.created) toast('新客户已建档，归你跟进。');
      return open(r.customer.id);
    });
  }).catch(function (e) {
    if (e && e.code) return fail(messageOf(e));
    $('status').hidden = true;
    showSearch('没能从聊天中识别客户（' + ((e && (e.errMsg || e.message)) || '未知原因') + '），请搜索。');
  });
}

export { renderCustomer, setTimeZone };
start();
