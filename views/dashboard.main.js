// The dashboard: every number and definition comes from GET /api/v1/insight/dashboard; this script
// only lays them out. ECharts is imported module by module (bundled by src/dashboard/bundle.ts).
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart } from 'echarts/charts';
import { GridSimpleComponent, LegendPlainComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, HeatmapChart, GridSimpleComponent, LegendPlainComponent, TooltipComponent, VisualMapContinuousComponent, CanvasRenderer]);

const data = JSON.parse(document.getElementById('data').textContent);
const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v != null) k === 'text' ? (e.textContent = v) : e.setAttribute(k, v);
  for (const k of kids) if (k != null) e.append(k);
  return e;
};
const row = (cells, attrs) => el('tr', attrs, ...cells.map((c) => el('td', { text: c == null ? '—' : String(c) })));
const pct = (v) => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);
const money = (v) => (v == null ? '—' : `¥${v.toLocaleString('zh-CN')}`);
const METRIC_NAMES = { responseRate: '首响率', completeness: '资料完整率', collaboration: '协作密度', survival: '线索存活率' };
const HOURS = Array.from({ length: 24 }, (_, h) => `${h}时`);
const charts = {};

$('who').textContent = `${data.user.name}（${data.user.role === 'admin' ? '管理员' : '经理'}）· ${data.tenantName}`;
const scope = $('scope');
if (data.wholeTenant) scope.append(el('option', { value: '', text: '全公司' }));
else scope.append(el('option', { value: '', text: `我的团队${data.user.region ? `（${data.user.region}）` : ''}` }));
for (const t of data.teams) scope.append(el('option', { value: `team:${t}`, text: `团队：${t}` }));
for (const r of data.reps) scope.append(el('option', { value: `rep:${r.id}`, text: `销售：${r.name}` }));

const q = new URLSearchParams(location.search);
const day = (d) => d.toISOString().slice(0, 10);
$('to').value = q.get('to') || day(new Date());
$('from').value = q.get('from') || day(new Date(Date.now() - 29 * 86400000));
if (q.get('team')) scope.value = `team:${q.get('team')}`;
if (q.get('rep')) scope.value = `rep:${q.get('rep')}`;

function query() {
  const p = new URLSearchParams({ from: $('from').value, to: $('to').value });
  const [kind, key] = scope.value.split(/:(.*)/s);
  if (kind === 'team') p.set('team', key);
  if (kind === 'rep') p.set('rep', key);
  return p;
}

function chart(id, option) {
  charts[id] ??= echarts.init($(id), null, { renderer: 'canvas' });
  charts[id].setOption(option, true);
}

function heat(id, cells, value, label) {
  const reps = [...new Set(cells.map((c) => c.rep))];
  const vals = cells.map(value).filter((v) => v != null);
  chart(id, {
    tooltip: { position: 'top', formatter: (p) => `${reps[p.value[1]]} ${p.value[0]}时：${p.value[2]}${label}` },
    grid: { left: 64, right: 12, top: 40, bottom: 28 },
    xAxis: { type: 'category', data: HOURS, splitArea: { show: true } },
    yAxis: { type: 'category', data: reps, splitArea: { show: true } },
    visualMap: { min: 0, max: Math.max(1, ...vals), calculable: true, orient: 'horizontal', right: 0, top: 0, itemHeight: 120, itemWidth: 12 },
    series: [{ type: 'heatmap', data: cells.filter((c) => value(c) != null).map((c) => [c.hour, reps.indexOf(c.rep), value(c)]) }],
  });
}

function render(d) {
  $('meta').textContent = `${d.period.from} 至 ${d.period.to}（${d.period.timeZone}）· ${d.scope.kind === 'tenant' ? '全公司' : d.scope.kind === 'team' ? `团队 ${d.scope.key ?? ''}` : `销售 ${d.scope.label}`} · 生成于 ${new Date(d.generatedAt).toLocaleString('zh-CN')}`;
  $('metrics').replaceChildren(...Object.values(d.metrics).map((m) => el('div', { class: `tile${m.broken ? ' bad' : ''}`, 'data-metric': m.key },
    el('div', { class: 't', text: `${m.label} · 阈值 ${m.thresholdDisplay}${m.broken ? ' · 未达标' : ''}` }),
    el('div', { class: 'v', text: m.display }),
    el('div', { class: 't', text: m.key === 'responseRate' ? `中位 ${m.details.median} · P90 ${m.details.p90} · ${m.numerator}/${m.denominator}` : `${m.numerator}/${m.denominator}` }),
    el('p', { text: m.definition }))));
  $('alert-list').replaceChildren(...(d.alerts.length ? d.alerts.map((a) => el('li', {}, el('span', { text: `${a.day} ${METRIC_NAMES[a.metric] ?? a.metric} 连续 ${a.streak} 天低于阈值（${a.scope === 'tenant' ? '全公司' : a.scope}）` }))) : [el('li', { class: 'muted', text: '近 30 天没有预警' })]));
  const defs = { ...d.funnel.definitions, ...d.heatmaps.definitions };
  for (const p of document.querySelectorAll('[data-def]')) p.textContent = defs[p.dataset.def]?.definition ?? '';
  $('sources').replaceChildren(...d.funnel.bySource.map((f) => row([f.source || '（未知）', f.leads, f.contacted, f.qualified, f.won, f.lost, pct(f.conversion), money(f.spend), money(f.costPerLead), money(f.costPerWon), f.credit])));
  $('campaigns').replaceChildren(...d.funnel.byCampaign.map((f) => row([f.source || '（未知）', f.campaign || '—', f.leads, f.won, pct(f.conversion), money(f.spend), money(f.costPerLead)])));
  const src = d.funnel.bySource;
  chart('funnel-chart', {
    tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 40, right: 12, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: src.map((f) => f.source || '（未知）') }, yAxis: { type: 'value', minInterval: 1 },
    series: [['线索', 'leads'], ['已联系', 'contacted'], ['已确认', 'qualified'], ['成交', 'won']].map(([name, k]) => ({ name, type: 'bar', data: src.map((f) => f[k]) })),
  });
  heat('assign-chart', d.heatmaps.assignment, (c) => c.count, ' 条');
  heat('response-chart', d.heatmaps.response, (c) => c.medianMinutes, ' 分钟（中位）');
  $('risk-rows').replaceChildren(...(d.atRisk.length ? d.atRisk.map((l) => row([l.label, l.assignee, l.reason === 'no_response' ? '超时未首次回复' : `${l.silentDays} 天没有往来`], { id: `risk-${l.leadId}`, class: location.hash === `#risk-${l.leadId}` ? 'hit' : null })) : [row(['没有风险线索', '', ''])]));
  const qs = query().toString();
  for (const a of document.querySelectorAll('[data-export]')) a.setAttribute('href', `/api/v1/insight/export?${qs}&table=${a.dataset.export}`);
  if (location.hash.length > 1) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

async function load() {
  $('error').textContent = '';
  const res = await fetch(`/api/v1/insight/dashboard?${query()}`, { headers: { 'x-kelu-csrf': data.csrf } });
  const body = await res.json();
  if (!res.ok) {
    $('error').textContent = body.error?.message ?? '加载失败';
    return;
  }
  render(body);
  document.body.dataset.loaded = body.generatedAt;
}

// Thresholds and automation rules: GET for managers and admins, PUT for admins (the API decides; the page
// only hides the save buttons for a manager). What each rule does, in words, from its own fields.
const KINDS = { silence: '沉默客户', revisit: '成交回访', satisfaction: '满意度关怀', priceSensitive: '价格敏感', keywords: '关键词', churnRisk: '流失风险' };
const words = (w) => w.slice(0, 6).join('、') + (w.length > 6 ? ' 等' : '');
function ruleText(r) {
  switch (r.kind) {
    case 'silence': return `客户 ${r.when.silentDays} 天没有往来 → 给负责人待办；再过 ${r.then.escalateAfterDays} 天仍沉默 → 给经理`;
    case 'revisit': return `成交 ${r.when.monthsAfterWon} 个月后 → 给负责人回访任务「${r.then.title}」`;
    case 'satisfaction': return `满意度 ≤ ${r.if.scoreAtMost} 分 → 给所在区域的服务经理关怀工单`;
    case 'priceSensitive': return `问到价格（${words(r.when.words)}）后 ${r.if.noReplyDays} 天没回复 → 打标签「${r.then.tag}」，给负责人待办并附「${r.then.material}」`;
    case 'keywords': return `消息提到 ${words(r.when.words)} → 打标签「${r.then.tag}」，进区域经理看板`;
    case 'churnRisk': return `${r.when.signals.silentDays} 天没往来、满意度 ≤ ${r.when.signals.lowSatisfaction} 分、提到 ${words(r.when.signals.words)}：满足 ${r.if.minSignals} 项 → 打标签「${r.then.tag}」，给负责人待办`;
    default: return '';
  }
}
const settings = { insight: null, automation: null };
const TH = ['responseRate', 'completeness', 'survival'];

async function call(method, url, body) {
  const res = await fetch(url, { method, headers: { 'x-kelu-csrf': data.csrf, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const out = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${out.error?.message ?? '保存失败'}${out.error?.code ? `（${out.error.code}）` : ''}`);
  return out;
}
const status = (id, text, ok) => Object.assign($(id), { textContent: text, className: `small ${ok ? 'ok' : 'err'}` });

function showSettings() {
  const s = settings.insight;
  $('th-responseMinutes').value = s.responseMinutes;
  for (const k of TH) $(`th-${k}`).value = Math.round(s.thresholds[k] * 1000) / 10;
  $('th-collaboration').value = s.thresholds.collaboration;
  $('th-alertAfterDays').value = s.alertAfterDays;
  $('th-alerts').checked = s.alerts;
  $('th-weeklyReport').checked = s.weeklyReport;
  $('rules').replaceChildren(...settings.automation.rules.map((r) => el('li', { class: 'rule', 'data-rule': r.id },
    el('div', { class: 'what' }, el('strong', { text: r.name || KINDS[r.kind] || r.id }), el('p', { text: ruleText(r) })),
    el('label', { class: 'check' }, el('input', { type: 'checkbox', 'aria-label': `启用 ${r.name || r.id}`, ...(r.enabled ? { checked: '' } : {}), ...(data.user.role === 'admin' ? {} : { disabled: '' }) }), el('span', { class: 'on', text: r.enabled ? '已开启' : '已关闭' })))));
  for (const i of document.querySelectorAll('#thresholds input')) i.disabled = data.user.role !== 'admin';
}

async function loadSettings() {
  const admin = data.user.role === 'admin';
  $('settings').classList.toggle('readonly', !admin);
  $('settings-note').textContent = admin ? '修改后保存，健康指标按新阈值判断是否达标。' : '只有管理员可以修改；这里是当前的设置。';
  try {
    [settings.insight, settings.automation] = await Promise.all([call('GET', '/api/v1/settings/insight'), call('GET', '/api/v1/settings/automation')]);
    showSettings();
  } catch (e) {
    status('rules-status', e.message, false);
  }
}

$('thresholds').addEventListener('submit', async (e) => {
  e.preventDefault();
  const n = (id) => Number($(`th-${id}`).value);
  const next = {
    ...settings.insight, responseMinutes: n('responseMinutes'), alertAfterDays: n('alertAfterDays'), alerts: $('th-alerts').checked, weeklyReport: $('th-weeklyReport').checked,
    thresholds: { ...Object.fromEntries(TH.map((k) => [k, Math.round(n(k) * 10) / 1000])), collaboration: n('collaboration') },
  };
  try {
    settings.insight = await call('PUT', '/api/v1/settings/insight', next);
    status('thresholds-status', '已保存', true);
    load();
  } catch (err) {
    status('thresholds-status', err.message, false);
  }
});

$('rules').addEventListener('change', (e) => {
  const li = e.target.closest('[data-rule]');
  if (li) li.querySelector('.on').textContent = e.target.checked ? '开启（未保存）' : '关闭（未保存）';
});

$('rules-save').addEventListener('click', async () => {
  const on = new Map([...document.querySelectorAll('#rules [data-rule]')].map((li) => [li.dataset.rule, li.querySelector('input').checked]));
  try {
    settings.automation = await call('PUT', '/api/v1/settings/automation', { ...settings.automation, rules: settings.automation.rules.map((r) => ({ ...r, enabled: on.get(r.id) ?? r.enabled })) });
    showSettings();
    status('rules-status', '已保存', true);
  } catch (err) {
    status('rules-status', err.message, false);
  }
});

$('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  history.replaceState(null, '', `?${query()}`);
  load();
});
addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
load();
loadSettings();
