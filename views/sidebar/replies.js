// Quick replies (话术): filled for this customer by the API; one tap puts it in the chat and records it.
import { api, messageOf } from './api.js';
import { $, clear, h, toast } from './dom.js';

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  var b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
  var x = Array.prototype.map.call(b, function (v) { return (v + 256).toString(16).slice(1); }).join('');
  return x.slice(0, 8) + '-' + x.slice(8, 12) + '-' + x.slice(12, 16) + '-' + x.slice(16, 20) + '-' + x.slice(20);
}

function copy(text) {
  var done = function () {
    var t = h('textarea', { class: 'offscreen' }); t.value = text; document.body.appendChild(t); t.select();
    try { document.execCommand('copy'); } finally { document.body.removeChild(t); }
  };
  return navigator.clipboard && navigator.clipboard.writeText ? navigator.clipboard.writeText(text).catch(done) : Promise.resolve(done());
}

/** Puts the text in the chat the way this platform allows; resolves to how ('sdk', 'robot' or 'copy'). */
function deliver(state, text) {
  var b = state.bridge;
  if (b && b.send) return b.send(text);
  var group = state.data.passed.openConversationId;
  if (b && group && state.sendModes && state.sendModes[b.platform] === 'robot') return Promise.resolve('robot');
  return copy(text).then(function () { return 'copy'; });
}

function send(state, r) {
  var key = uuid();
  return deliver(state, r.text).then(function (via) {
    var b = state.bridge;
    return api('POST', '/api/v1/sidebar/customers/' + state.customer.id + '/sent', {
      text: r.text, replyId: r.id, via: via, key: key,
      platform: b ? b.platform : undefined, conversationId: via === 'robot' ? state.data.passed.openConversationId : undefined,
    }).then(function () {
      toast(via === 'sdk' ? '已发送到聊天' : via === 'robot' ? '已由机器人发到群里' : '已复制，请粘贴到聊天中发送');
    });
  }).catch(function (e) { toast(e && e.code ? messageOf(e) : '没有发送：' + ((e && (e.errMsg || e.message)) || '已取消'), true); });
}

export function showReplies(state) {
  var manager = state.data.user.role !== 'rep';
  $('reply-form').hidden = !manager;
  if (manager && !showReplies.bound) {
    showReplies.bound = true;
    $('reply-form').addEventListener('submit', function (e) {
      e.preventDefault();
      api('POST', '/api/v1/sidebar/replies', { title: $('r-title').value.trim(), body: $('r-body').value.trim() }).then(function () {
        $('r-title').value = ''; $('r-body').value = ''; toast('已添加话术'); showReplies(state);
      }, function (err) { toast(messageOf(err), true); });
    });
  }
  return api('GET', '/api/v1/sidebar/customers/' + state.customer.id + '/replies').then(function (r) {
    var ul = clear($('replies'));
    if (!r.items.length) ul.appendChild(h('li', { class: 'muted', text: manager ? '还没有话术，在下面添加。' : '还没有话术，请经理在这里添加。' }));
    r.items.forEach(function (x) {
      ul.appendChild(h('li', { class: 'reply', 'data-id': x.id },
        h('div', { class: 'grow' }, h('b', { text: x.title }), h('div', { class: 'text', text: x.text })),
        h('button', { class: 'primary', text: state.bridge && state.bridge.send ? '发送' : '复制发送', onclick: function () { send(state, x); } })));
    });
  }, function (e) { toast(messageOf(e), true); });
}
