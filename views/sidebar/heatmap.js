// The weekly heat map: weekday x hour of messages in and out (hand SVG, no chart library), tap a cell for its messages.
import { api, messageOf } from './api.js';
import { $, clear, fmt, h, setTimeZone, toast } from './dom.js';

var DAYS = ['一', '二', '三', '四', '五', '六', '日'];
var SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs) {
  var el = document.createElementNS(SVG, tag);
  for (var k in attrs) el.setAttribute(k, attrs[k]);
  return el;
}

function grid(cells, onCell) {
  var max = 1;
  var at = {};
  cells.forEach(function (c) { at[c.weekday + ':' + c.hour] = c; max = Math.max(max, c.in + c.out); });
  var cw = 13, ch = 18, left = 18, top = 14;
  var svg = s('svg', { viewBox: '0 0 ' + (left + 24 * cw + 2) + ' ' + (top + 7 * ch + 2), class: 'heat', role: 'grid', 'aria-label': '每周热力图' });
  for (var hr = 0; hr < 24; hr += 6) { var t = s('text', { x: left + hr * cw, y: 10, class: 'axis' }); t.textContent = hr + '时'; svg.appendChild(t); }
  for (var d = 1; d <= 7; d++) {
    var lab = s('text', { x: 0, y: top + (d - 1) * ch + 13, class: 'axis' }); lab.textContent = DAYS[d - 1]; svg.appendChild(lab);
    for (var hh = 0; hh < 24; hh++) {
      var c = at[d + ':' + hh];
      var n = c ? c.in + c.out : 0;
      var r = s('rect', { x: left + hh * cw, y: top + (d - 1) * ch, width: cw - 2, height: ch - 2, rx: 2, class: 'cell' + (n ? ' on' : ''), 'data-weekday': d, 'data-hour': hh, 'data-count': n,
        style: n ? 'fill-opacity:' + (0.25 + 0.75 * n / max).toFixed(2) : '' });
      var title = s('title', {}); title.textContent = '周' + DAYS[d - 1] + ' ' + hh + '时：客户 ' + (c ? c.in : 0) + ' 条，我发出 ' + (c ? c.out : 0) + ' 条'; r.appendChild(title);
      if (n) r.addEventListener('click', onCell.bind(null, d, hh));
      svg.appendChild(r);
    }
  }
  return svg;
}

export function showHeat(state) {
  var weeks = Number($('weeks').value || 4);
  var team = $('team').checked;
  var id = state.customer.id;
  $('team-wrap').hidden = state.data.user.role === 'rep';
  var url = team ? '/api/v1/sidebar/team/heat?weeks=' + weeks : '/api/v1/sidebar/customers/' + id + '/heat?weeks=' + weeks;
  if (!showHeat.bound) {
    showHeat.bound = true;
    $('weeks').addEventListener('change', function () { showHeat(state); });
    $('team').addEventListener('change', function () { showHeat(state); });
  }
  return api('GET', url).then(function (r) {
    setTimeZone(r.timeZone);
    var box = clear($('heat-box'));
    $('heat-flag').hidden = team || !r.silent;
    if (!team && r.silent) $('heat-flag').textContent = r.lastOutAt ? '已经 ' + r.silentDays + ' 天没有给客户发消息了（上次 ' + fmt(r.lastOutAt) + '）' : '还没有给这位客户发过消息';
    $('heat-sum').textContent = (team ? '团队' : '该客户') + '近 ' + r.weeks + ' 周：客户 ' + r.totals.in + ' 条，我方 ' + r.totals.out + ' 条（' + r.timeZone + '）';
    box.appendChild(grid(r.cells, function (d, hr) {
      if (team) return;
      api('GET', '/api/v1/sidebar/customers/' + id + '/heat/cell?weeks=' + weeks + '&weekday=' + d + '&hour=' + hr).then(function (m) {
        var ul = clear($('heat-msgs'));
        ul.appendChild(h('li', { class: 'small muted', text: '周' + DAYS[d - 1] + ' ' + hr + ' 时的消息' }));
        m.items.forEach(function (i) { ul.appendChild(h('li', { class: i.direction }, h('div', { class: 'small muted', text: fmt(i.occurredAt) + ' · ' + (i.direction === 'out' ? '我发出' : '客户') }), h('div', { class: 'text', text: i.text }))); });
      }, function (e) { toast(messageOf(e), true); });
    }));
  }, function (e) { toast(messageOf(e), true); });
}
