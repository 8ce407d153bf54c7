import type { Tx } from '../../db/database.js';
import type { Period } from './period.js';
import type { Scope } from './scope.js';
import type { InsightSettings } from './settings.js';
import { assignmentHeat, funnelCounts, responseHeat, spendTotals, type FunnelRow } from './funnel.repo.js';
import { definitions } from './definitions.js';
import { creditTotals } from '../tracking/tracking.repo.js';

export interface FunnelLine extends FunnelRow {
  conversion: number | null;
  spend: number | null;
  costPerLead: number | null;
  /** Spend / won leads of this source (and campaign). */
  costPerWon: number | null;
  /** Won deals credited to this channel by behaviour points (deals won in the period; a deal's shares sum to 1). */
  credit: number;
  /** Spend / credited won deals. */
  costPerCredit: number | null;
}

const r4 = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);
const r2 = (n: number | null, d: number) => (n === null || d === 0 ? null : Math.round((n / d) * 100) / 100);

/** Funnel and conversion by source and by source x campaign, with spend and cost per lead where spend was entered. */
export async function funnel(tx: Tx, tenantId: string, p: Period, sc: Scope, s: InsightSettings) {
  const [lines, spend, credits] = [await funnelCounts(tx, tenantId, p, sc), await spendTotals(tx, tenantId, p), await creditTotals(tx, tenantId, p.start, p.end, sc.ownerIds)];
  const creditOf = (source: string, campaign?: string) =>
    Math.round(credits.filter((x) => x.source === source && (campaign === undefined || x.campaign === campaign)).reduce((a, x) => a + x.credit, 0) * 10_000) / 10_000;
  const spendOf = (source: string, campaign?: string) => {
    const hits = spend.filter((x) => x.source === source && (campaign === undefined || x.campaign === campaign));
    return hits.length ? Math.round(hits.reduce((a, x) => a + x.amount, 0) * 100) / 100 : null;
  };
  const line = (f: FunnelRow, sp: number | null, credit: number): FunnelLine => ({
    ...f, conversion: r4(f.won, f.leads), spend: sp, costPerLead: r2(sp, f.leads), costPerWon: r2(sp, f.won), credit, costPerCredit: r2(sp, credit),
  });
  // A channel credited with a won deal counts even when none of the period's leads came from it.
  const zero = (source: string, campaign: string): FunnelRow => ({ source, campaign, leads: 0, contacted: 0, qualified: 0, won: 0, lost: 0 });
  for (const c of credits) if (!lines.some((f) => f.source === c.source && f.campaign === c.campaign)) lines.push(zero(c.source, c.campaign));
  const bySource = new Map<string, FunnelRow>();
  for (const f of lines) {
    const t = bySource.get(f.source) ?? { source: f.source, campaign: '', leads: 0, contacted: 0, qualified: 0, won: 0, lost: 0 };
    for (const k of ['leads', 'contacted', 'qualified', 'won', 'lost'] as const) t[k] += f[k];
    bySource.set(f.source, t);
  }
  const d = definitions(s);
  return {
    definitions: { funnel: d.funnel, costPerLead: d.costPerLead, costPerWon: d.costPerWon, credit: d.credit },
    bySource: [...bySource.values()].sort((a, b) => b.leads - a.leads || a.source.localeCompare(b.source)).map((f) => line(f, spendOf(f.source), creditOf(f.source))),
    byCampaign: lines.map((f) => line(f, spendOf(f.source, f.campaign), creditOf(f.source, f.campaign))),
  };
}

export async function heatmaps(tx: Tx, tenantId: string, p: Period, sc: Scope, s: InsightSettings, names: Map<string, string>) {
  const d = definitions(s);
  const name = (id: string) => names.get(id) ?? id.slice(0, 8);
  const assignment = (await assignmentHeat(tx, tenantId, p, sc)).map((c) => ({ repId: c.repId, rep: name(c.repId), hour: c.hour, count: c.count }));
  const response = (await responseHeat(tx, tenantId, p, sc, s.responseMinutes)).map((c) => ({
    repId: c.repId, rep: name(c.repId), hour: c.hour, count: c.count, within: c.within ?? 0,
    medianMinutes: c.medianSeconds === null || c.medianSeconds === undefined ? null : Math.round(c.medianSeconds / 6) / 10,
  }));
  return { definitions: { assignmentHeat: d.assignmentHeat, responseHeat: d.responseHeat }, assignment, response };
}
