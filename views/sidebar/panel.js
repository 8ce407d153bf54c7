// The customer panel: who this is (masked by the API), conflicts, follow-ups and the timeline.
import { api, messageOf } from './api.js';
import { $, clear, fmt, h, toast } from './dom.js';

var STAGES = { new: '新客户', contacted: '已联系', qualified: '已确认需求', won: '成交', lost: '流失' };
var KINDS = { phone: '电话', email: '邮箱', wechat_id: '微信' };
var FIELDS = { name: '姓名', title: '称呼/职务', company: '单位', tags: '标签' };

export function showCustomer(state, id) {
  return Promise.all([
    api('GET', '/api/v1/sidebar/customers/' + id),
    // Stage changes come from the stage engine (newest first).
    api('GET', '/api/v1/customers/' + id + '/stages').then(function (r) { return r.items || []; }, function () { return []; }),
  ]).then(function (r) {
    state.customer = r[0].customer;
    state.view = r[0];
    state.stageHistory = r[1];
    state.stageName = r[1][0] && !r[1][0].leftAt ? r[1][0].stage.name : null;
    renderCustomer(state);
  });
}

function saveEdit(state, field, raw) {
  var body = {};
  body[field] = field === 'tags' ? raw.split(/[,，\s]+/).filter(Boolean) : (raw.trim() || null);
  return api('PATCH', '/api/v1/sidebar/customers/' + state.customer.id, body).then(function (v) {
    state.customer = v.customer; state.view = v; renderCustomer(state); toast('已保存（此字段以后不会被自动抽取覆盖）');
  }, function (e) { toast(messageOf(e), true); });
}

function fieldRow(state, field, value) {
  var row = h('div', { class: 'field', 'data-field': field });
  function show() {
    clear(row);
    row.appendChild(h('span', { class: 'label', text: FIELDS[field] }));
    row.appendChild(h('span', { class: 'value', text: value || '—' }));
    if (state.customer.manualFields.indexOf(field) >= 0) row.appendChild(h('span', { class: 'tag off', text: '手改' }));
    row.appendChild(h('button', { class: 'link', 'aria-label': '修改' + FIELDS[field], text: '改', onclick: edit }));
  }
  function edit() {
    clear(row);
    var input = h('input', { class: 'grow', name: field, value: value || '', 'aria-label': FIELDS[field] });
    row.appendChild(h('span', { class: 'label', text: FIELDS[field] }));
    row.appendChild(input);
    row.appendChild(h('button', { class: 'primary', text: '保存', onclick: function () { saveEdit(state, field, input.value); } }));
    row.appendChild(h('button', { text: '取消', onclick: show }));
    input.focus();
  }
  show();
  return row;
}

function conflictsBox(state) {
  var c = state.customer;
  if (!c.conflicts.length) return null;
  return h('div', { class: 'conflicts' }, h('h3', { text: '信息冲突' }), c.conflicts.map(function (x) {
    var keep = function (values) {
      return function () {
        api('POST', '/api/v1/sidebar/customers/' + c.id + '/conflicts', { field: x.field, keep: values }).then(function (v) {
          state.customer = v.customer; state.view = v; renderCustomer(state); toast('已处理');
        }, function (e) { toast(messageOf(e), true); });
      };
    };
    return h('div', { class: 'conflict', 'data-field': x.field }, h('div', { class: 'small muted', text: (FIELDS[x.field] || x.field) + '有不同的说法：' }),
      h('div', { class: 'row' }, x.values.map(function (v) { return h('button', { text: '保留「' + v + '」', onclick: keep([v]) }); }),
        h('button', { text: '都保留', onclick: keep(x.values) })));
  }));
}

function tasksBox(state) {
  var c = state.customer;
  var list = h('ul', { class: 'list', id: 'tasks' });
  state.view.tasks.forEach(function (t) {
    var li = h('li', { 'data-id': t.id, class: t.status === 'open' ? '' : 'done' },
      h('div', { class: 'grow' }, h('div', { text: t.title }), h('div', { class: 'small muted', text: (t.dueAt ? fmt(t.dueAt, !t.allDay) : '无期限') + (t.status === 'open' ? '' : ' · 已完成') })));
    if (t.status === 'open') {
      var when = h('input', { type: 'datetime-local', class: 'when', 'aria-label': '改到' });
      li.appendChild(h('div', { class: 'acts' }, when,
        h('button', { text: '改期', onclick: function () {
          if (!when.value) { when.focus(); return toast('先选一个新时间', true); }
          api('PATCH', '/api/v1/sidebar/customers/' + c.id + '/tasks/' + t.id, { dueAt: new Date(when.value).toISOString(), allDay: false }).then(refresh, bad);
        } }),
        h('button', { class: 'primary', text: '完成', onclick: function () { api('POST', '/api/v1/sidebar/customers/' + c.id + '/tasks/' + t.id + '/done').then(refresh, bad); } })));
    }
    list.appendChild(li);
  });
  var title = h('input', { id: 'task-title', class: 'grow', placeholder: '跟进事项，如：回电确认报价', maxlength: '200' });
  var due = h('input', { id: 'task-due', type: 'datetime-local' });
  function refresh() { return showCustomer(state, c.id); }
  function bad(e) { toast(messageOf(e), true); }
  var form = h('form', { class: 'row', id: 'task-form', onsubmit: function (e) {
    e.preventDefault();
    if (!title.value.trim() || !due.value) return toast('请填写事项和时间', true);
    api('POST', '/api/v1/sidebar/customers/' + c.id + '/tasks', { title: title.value.trim(), dueAt: new Date(due.value).toISOString() }).then(function () { toast('已添加跟进'); return refresh(); }, bad);
  } }, title, due, h('button', { class: 'primary', type: 'submit', text: '添加' }));
  return h('div', null, h('h3', { text: '跟进' }), state.view.tasks.length ? list : h('p', { class: 'muted small', text: '暂无跟进。' }), form);
}

function timelineBox(state) {
  var items = [];
  state.view.interactions.forEach(function (i) { items.push({ at: i.occurredAt, kind: i.direction === 'out' ? '我发出' : i.direction === 'in' ? '客户' : '备注', text: i.text, cls: i.direction }); });
  state.view.tasks.forEach(function (t) { items.push({ at: t.createdAt, kind: '跟进', text: t.title + (t.status === 'open' ? '' : '（已完成）'), cls: 'task' }); });
  (state.stageHistory || []).forEach(function (s) {
    var how = s.rule ? '（规则：' + s.rule + '）' : s.reason ? '（' + s.reason + '）' : '';
    items.push({ at: s.enteredAt, kind: '阶段', text: '进入「' + (s.stage ? s.stage.name : '') + '」' + how + (s.by && s.by.name ? ' · ' + s.by.name : ''), cls: 'stage' });
  });
  items.sort(function (a, b) { return a.at < b.at ? 1 : -1; });
  return h('div', null, h('h3', { text: '时间线' }), h('ul', { class: 'timeline', id: 'timeline' }, items.map(function (x) {
    return h('li', { class: x.cls }, h('div', { class: 'small muted', text: fmt(x.at) + ' · ' + x.kind }), h('div', { class: 'text', text: x.text }));
  })), items.length ? null : h('p', { class: 'muted small', text: '还没有记录。' }));
}

function platformOf(state, test) {
  return state.data.platforms.filter(test)[0];
}

export function renderCustomer(state) {
  var c = state.customer;
  var source = platformOf(state, function (p) { return p.platform === c.sourceChannel; });
  var kindLabel = function (kind) {
    var p = platformOf(state, function (x) { return x.identity === kind; });
    return KINDS[kind] || (p ? p.label + '联系人' : '其他ID');
  };
  $('c-name').textContent = (c.name || '未具名客户') + (c.title || '');
  var box = clear($('tab-info'));
  box.appendChild(h('div', { class: 'card' },
    h('div', { class: 'meta small muted' }, (c.company || '单位未知') + ' · 负责人 ' + (c.mine ? '我' : c.ownerName || '待分配') + ' · ' + (state.stageName || STAGES[c.stage] || c.stage) + ' · 评分 ' + c.score + (c.sourceChannel ? ' · 来源 ' + (source ? source.label : c.sourceChannel) : '')),
    fieldRow(state, 'name', c.name), fieldRow(state, 'title', c.title), fieldRow(state, 'company', c.company), fieldRow(state, 'tags', c.tags.join('，')),
    h('div', { class: 'ids' }, c.identities.map(function (i) {
      return h('span', { class: 'id' + (i.masked ? ' masked' : '') }, h('span', { class: 'small muted', text: kindLabel(i.kind) + ' ' }), h('span', { class: 'mono', text: i.value }));
    })),
    c.budget ? h('div', { class: 'small', text: '预算：' + c.budget }) : null,
    conflictsBox(state)));
  box.appendChild(h('div', { class: 'card' }, tasksBox(state)));
  box.appendChild(h('div', { class: 'card' }, timelineBox(state)));
}
