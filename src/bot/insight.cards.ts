import type { Tx } from '../db/database.js';
import type { Timer } from '../crm/timers.repo.js';
import type { OutboundMessage } from '../channel/messages.js';
import { compact, managersOf, toUser, type FlowDeps } from './flow.js';
import type { User } from '../crm/users.repo.js';
import { addDays } from '../crm/insight/period.js';
import { resolveScope, TENANT_SCOPE, type Scope } from '../crm/insight/scope.js';
import { getInsightSettings } from '../crm/insight/settings.js';
import { checkThresholds, type Alert } from '../crm/insight/alerts.service.js';
import { weeklyReport, type WeeklyReport } from '../crm/insight/report.service.js';
import { pct } from '../crm/insight/definitions.js';
import { DAILY_TIMER } from '../crm/insight/schedule.js';

export interface InsightCardOptions {
  /** Where the dashboard is (links on cards); without it cards carry no link. */
  publicUrl?: string;
}

/** Managers by the scope they answer for: a region's team, or the whole tenant for those without one. */
async function byScope(tx: Tx, tenantId: string): Promise<{ scope: Scope; managers: User[] }[]> {
  const groups = new Map<string, User[]>();
  for (const m of await managersOf(tx, tenantId)) groups.set(m.region ?? '', [...(groups.get(m.region ?? '') ?? []), m]);
  const out: { scope: Scope; managers: User[] }[] = [];
  for (const [region, managers] of groups) {
    out.push({ scope: region ? await resolveScope(tx, tenantId, { team: region }, { ownerIds: null }) : TENANT_SCOPE, managers });
  }
  return out;
}

const link = (o: InsightCardOptions, q: Record<string, string | null | undefined>, hash = '') => {
  if (!o.publicUrl) return undefined;
  const qs = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1])).toString();
  return `${o.publicUrl.replace(/\/$/, '')}/dashboard${qs ? `?${qs}` : ''}${hash}`;
};
const scopeName = (s: Scope) => (s.kind === 'team' ? `${s.key}团队` : '全公司');
const signed = (d: number | null, share: boolean) => (d === null ? '—' : `${d >= 0 ? '+' : ''}${share ? `${(d * 100).toFixed(1)} 个百分点` : d.toFixed(2)}`);

export function alertCard(a: Alert, o: InsightCardOptions) {
  return {
    cardId: `alert-${a.id}`,
    title: `预警：${a.metric.label}连续 ${a.streak} 天低于 ${a.metric.thresholdDisplay}`,
    description: a.metric.definition,
    fields: [{ label: '范围', value: scopeName(a.scope) }, { label: `${a.day}`, value: a.metric.display }, { label: '阈值', value: a.metric.thresholdDisplay }],
    url: link(o, { from: addDays(a.day, -(a.streak - 1)), to: a.day, team: a.scope.kind === 'team' ? a.scope.key : null }, '#alerts'),
  };
}

export function reportMessages(r: WeeklyReport, s: Scope, o: InsightCardOptions): OutboundMessage['reply'][] {
  const team = s.kind === 'team' ? s.key : null;
  const fields = r.numbers.map((n) => ({ label: n.metric.label, value: `${n.metric.display}（上周 ${n.previous.display}，${signed(n.delta, n.metric.key !== 'collaboration')}）` }));
  if (r.worstRep) fields.push({ label: '首响最弱', value: `${r.worstRep.name} ${pct(r.worstRep.rate)}（${r.worstRep.total} 条线索）` });
  fields.push({ label: '风险线索', value: `${r.atRisk.length} 条` });
  const card = { kind: 'card' as const, card: { cardId: `weekly-${r.from}-${team ?? 'all'}`.replace(/[^\w@-]/g, '_'), title: `客路周报 ${r.from}～${r.to}（${scopeName(s)}）`, description: r.numbers.map((n) => `${n.metric.label}：${n.metric.definition}`).join('\n'), fields, url: link(o, { from: r.from, to: r.to, team }) } };
  const lines = [
    r.worstRep ? `- 首响最弱：${o.publicUrl ? `[${r.worstRep.name}](${link(o, { from: r.from, to: r.to, rep: r.worstRep.repId })})` : r.worstRep.name} ${pct(r.worstRep.rate)}` : null,
    ...r.atRisk.map((l, i) => {
      const why = l.reason === 'no_response' ? '还没有首次回复' : `${l.silentDays} 天没有往来`;
      return `${i + 1}. ${o.publicUrl ? `[${l.label}](${link(o, { team }, `#risk-${l.leadId}`)})` : l.label}：${why}`;
    }),
  ];
  const list = compact(lines);
  return list.length ? [card, { kind: 'markdown', title: '本周需要关注', text: list.join('\n') }] : [card];
}

/** Daily: threshold alerts for yesterday, per scope, to its managers. Weekly: the report to each manager. */
export async function insightCards(tx: Tx, deps: FlowDeps, timer: Timer, now: Date, timeZone: string, o: InsightCardOptions = {}): Promise<OutboundMessage[]> {
  const { tenantId } = timer;
  const s = await getInsightSettings(tx, tenantId);
  const out: (OutboundMessage | null)[] = [];
  for (const { scope, managers } of await byScope(tx, tenantId)) {
    if (timer.kind === DAILY_TIMER) {
      if (!s.alerts) continue;
      const alerts = await checkThresholds(tx, tenantId, addDays(timer.refId, -1), timeZone, scope, s, now);
      for (const a of alerts) for (const m of managers) out.push(toUser(deps, tenantId, m, { kind: 'card', card: alertCard(a, o) }));
    } else {
      if (!s.weeklyReport) continue;
      const r = await weeklyReport(tx, tenantId, scope, timer.refId, timeZone, s, now);
      if (r.empty) continue;
      for (const reply of reportMessages(r, scope, o)) for (const m of managers) out.push(toUser(deps, tenantId, m, reply));
    }
  }
  return compact(out);
}
