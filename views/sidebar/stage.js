// Stage questions: the current stage and its open questions; an answer may move the stage (the stage engine decides).
import { api, messageOf } from './api.js';
import { $, clear, fmt, h, toast } from './dom.js';

function answerText(q) {
  var labels = {};
  (q.options || []).forEach(function (o) { labels[o.key] = o.label; });
  return (q.answer.labels && q.answer.labels.length ? q.answer.labels : q.answer.values.map(function (v) { return labels[v] || v; })).join('、') + ' · ' + (q.answer.by ? q.answer.by.name : '') + ' ' + fmt(q.answer.at);
}

function question(state, q) {
  var li = h('li', { class: 'question', 'data-key': q.key }, h('div', { text: q.text }));
  if (q.answer) { li.appendChild(h('div', { class: 'small ok', text: '已回答：' + answerText(q) })); return li; }
  var options = q.options && q.options.length ? q.options : [{ key: 'yes', label: '是' }, { key: 'no', label: '否' }];
  var submit = function (values) {
    api('POST', '/api/v1/customers/' + state.customer.id + '/answers', { question: q.key, values: values }).then(function (r) {
      toast(r.changed ? '阶段已更新为「' + (r.stage && r.stage.name) + '」' : r.blocked ? '已记录；进入「' + r.blocked.stage.name + '」还需填写：' + r.blocked.missing.map(function (m) { return m.label; }).join('、') : '已记录');
      if (r.stage) state.stageName = r.stage.name;
      showStage(state);
    }, function (e) { toast(messageOf(e), true); showStage(state); });
  };
  if (q.kind === 'multiple') {
    var boxes = options.map(function (o) { return h('label', { class: 'opt' }, h('input', { type: 'checkbox', value: o.key }), o.label); });
    li.appendChild(h('div', { class: 'row' }, boxes, h('button', { class: 'primary', text: '提交', onclick: function () {
      var v = boxes.map(function (b) { return b.firstChild; }).filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
      if (!v.length) return toast('至少选一项', true);
      submit(v);
    } })));
  } else {
    li.appendChild(h('div', { class: 'row' }, options.map(function (o) { return h('button', { text: o.label, onclick: function () { submit([o.key]); } }); })));
  }
  return li;
}

export function showStage(state) {
  var box = clear($('stage-box'));
  return api('GET', '/api/v1/customers/' + state.customer.id + '/stage').then(function (r) {
    var cur = r.stage ? r.stage.key : null;
    box.appendChild(h('div', { class: 'stages' }, r.stages.slice().sort(function (a, b) { return a.order - b.order; }).map(function (s) {
      return h('span', { class: 'tag' + (s.key === cur ? '' : ' off'), text: s.name });
    })));
    box.appendChild(h('p', { class: 'small muted', text: r.stage ? '当前阶段：' + r.stage.name + '（' + fmt(r.stage.enteredAt) + ' 进入）' : '尚未进入任何阶段' }));
    box.appendChild(h('ul', { class: 'list', id: 'questions' }, r.questions.map(function (q) { return question(state, q); })));
    if (!r.questions.length) box.appendChild(h('p', { class: 'muted', text: '这个阶段没有待回答的问题。' }));
  }, function (e) {
    box.appendChild(h('p', { class: 'muted', id: 'stage-off', text: e && e.status === 404 ? '阶段问卷尚未启用' : messageOf(e) }));
  });
}
