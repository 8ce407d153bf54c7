// Archiving the chat: paste a fragment, see what it would change, confirm the queue in one tap.
import { api, messageOf } from './api.js';
import { $, clear, fmt, h, toast } from './dom.js';

var FIELDS = { name: '姓名', title: '称呼', company: '单位' };
var KINDS = { phone: '新电话', email: '新邮箱', wechat_id: '新微信' };

function changeLines(c) {
  var out = [];
  c.identities.forEach(function (i) { out.push(i.taken ? (KINDS[i.kind] || i.kind) + ' ' + i.value + '（已属于其他客户，不会添加）' : (KINDS[i.kind] || i.kind) + ' ' + i.value); });
  c.fields.forEach(function (f) { out.push((f.action === 'fill' ? '补充' : '冲突待定：') + FIELDS[f.field] + ' ' + f.value); });
  c.tasks.forEach(function (t) { out.push('新跟进：' + t.text + '（' + fmt(t.dueAt, !t.allDay) + '）'); });
  if (c.budget) out.push('预算：' + c.budget);
  if (c.products.length) out.push('产品：' + c.products.join('、'));
  if (!out.length) out.push('只记录这段对话，客户资料不变');
  return out;
}

export function initArchive(state, refresh) {
  var pending = [];
  function render() {
    var ul = clear($('pending'));
    pending.forEach(function (p, n) {
      ul.appendChild(h('li', { class: 'frag' },
        h('div', { class: 'small muted', text: (p.direction === 'out' ? '我的回复' : '客户说') }),
        h('div', { class: 'text', text: p.text.length > 120 ? p.text.slice(0, 120) + '…' : p.text }),
        h('ul', { class: 'changes' }, changeLines(p.changes).map(function (l) { return h('li', { text: l }); })),
        h('button', { class: 'link', text: '移除', onclick: function () { pending.splice(n, 1); render(); } })));
    });
    $('confirm').hidden = pending.length === 0;
    $('confirm').textContent = '确认归档（' + pending.length + ' 段）';
  }
  $('preview').addEventListener('click', function () {
    var text = $('frag').value;
    if (!text.trim()) return toast('先粘贴一段聊天内容', true);
    var direction = $('dir').value;
    $('preview').disabled = true;
    api('POST', '/api/v1/sidebar/customers/' + state.customer.id + '/preview', { text: text, direction: direction }).then(function (r) {
      pending.push({ text: text, direction: direction, changes: r.changes });
      $('frag').value = '';
      $('archive-err').textContent = '';
      render();
    }, function (e) { $('archive-err').textContent = messageOf(e); }).then(function () { $('preview').disabled = false; });
  });
  $('confirm').addEventListener('click', function () {
    $('confirm').disabled = true;
    api('POST', '/api/v1/sidebar/customers/' + state.customer.id + '/archive', { fragments: pending.map(function (p) { return { text: p.text, direction: p.direction }; }) }).then(function (r) {
      var dup = r.items.filter(function (x) { return x.duplicate; }).length;
      toast('已归档 ' + (r.items.length - dup) + ' 段' + (dup ? '，' + dup + ' 段之前已归档' : ''));
      $('archived').textContent = '已归档 ' + (r.items.length - dup) + ' 段' + (dup ? '（' + dup + ' 段重复，未重复记录）' : '');
      pending = [];
      render();
      return refresh();
    }, function (e) { $('archive-err').textContent = messageOf(e); }).then(function () { $('confirm').disabled = false; });
  });
  render();
}
