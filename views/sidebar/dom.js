// A tiny DOM builder: text always goes in as textContent (nothing from the API is parsed as HTML).
export function h(tag, attrs) {
  var el = document.createElement(tag);
  if (attrs) for (var k in attrs) {
    var v = attrs[k];
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = v;
    else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (var i = 2; i < arguments.length; i++) {
    var c = arguments[i];
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) c.forEach(function (x) { if (x) el.appendChild(typeof x === 'string' ? document.createTextNode(x) : x); });
    else el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}
export function $(id) { return document.getElementById(id); }
export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

var tz = 'Asia/Shanghai';
export function setTimeZone(z) { tz = z || tz; }
/** 12-02 15:30 in the tenant's zone (the API's instants are UTC). */
export function fmt(iso, withTime) {
  if (!iso) return '';
  var o = { timeZone: tz, month: '2-digit', day: '2-digit' };
  if (withTime !== false) { o.hour = '2-digit'; o.minute = '2-digit'; o.hourCycle = 'h23'; }
  return new Intl.DateTimeFormat('zh-CN', o).format(new Date(iso)).replace(/\//g, '-');
}
export function toast(msg, bad) {
  var t = $('toast');
  t.textContent = msg;
  t.className = bad ? 'toast bad' : 'toast';
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(function () { t.hidden = true; }, 4000);
}
