import { csvCell } from './present.js';
import type { dashboardData } from '../crm/insight/report.data.js';
import type { insightAlerts } from '../db/schema.js';

export const EXPORT_TABLES = ['health', 'sources', 'campaigns', 'assignmentHeat', 'responseHeat', 'alerts'] as const;
type Data = Awaited<ReturnType<typeof dashboardData>>;
type Alert = typeof insightAlerts.$inferSelect;

const line = (cells: unknown[]) => cells.map(csvCell).join(',');

/**
 * One dashboard table as CSV. Until exports carry a watermark (the export issue), the file opens with
 * who made it and when, the period and scope, and the definition of every number in it.
 */
export function exportTable(table: (typeof EXPORT_TABLES)[number], d: Data, alerts: Alert[], actor: string): string {
  const defs: { label: string; definition: string }[] = [];
  let head: string[];
  let body: unknown[][];
  if (table === 'health') {
    const ms = Object.values(d.metrics);
    defs.push(...ms);
    head = ['metric', 'label', 'value', 'display', 'threshold', 'broken', 'numerator', 'denominator'];
    body = ms.map((m) => [m.key, m.label, m.value, m.display, m.threshold, m.broken, m.numerator, m.denominator]);
  } else if (table === 'sources' || table === 'campaigns') {
    defs.push(d.funnel.definitions.funnel, d.funnel.definitions.costPerLead, d.funnel.definitions.costPerWon, d.funnel.definitions.credit);
    head = ['source', 'campaign', 'leads', 'contacted', 'qualified', 'won', 'lost', 'conversion', 'spend', 'cost_per_lead', 'cost_per_won', 'credited_won', 'cost_per_credited_won'];
    body = (table === 'sources' ? d.funnel.bySource : d.funnel.byCampaign).map((f) => [f.source, f.campaign, f.leads, f.contacted, f.qualified, f.won, f.lost, f.conversion, f.spend, f.costPerLead, f.costPerWon, f.credit, f.costPerCredit]);
  } else if (table === 'assignmentHeat') {
    defs.push(d.heatmaps.definitions.assignmentHeat);
    head = ['rep_id', 'rep', 'hour', 'leads'];
    body = d.heatmaps.assignment.map((c) => [c.repId, c.rep, c.hour, c.count]);
  } else if (table === 'responseHeat') {
    defs.push(d.heatmaps.definitions.responseHeat);
    head = ['rep_id', 'rep', 'hour', 'leads', 'answered_in_time', 'median_minutes'];
    body = d.heatmaps.response.map((c) => [c.repId, c.rep, c.hour, c.count, c.within, c.medianMinutes]);
  } else {
    defs.push(...Object.values(d.metrics));
    head = ['day', 'metric', 'scope', 'value', 'threshold', 'days_in_a_row'];
    body = alerts.map((a) => [a.day, a.metric, a.scope, a.value, a.threshold, a.streak]);
  }
  const meta = [
    `# 客路 Kelu export: ${table}`,
    `# generated_at ${d.generatedAt} by ${actor}`,
    `# period ${d.period.from}..${d.period.to} (${d.period.timeZone}); scope ${d.scope.kind}${d.scope.key ? ` ${d.scope.key}` : ''}`,
    ...defs.map((x) => `# ${x.label}: ${x.definition.replace(/[\r\n]+/g, ' ')}`),
  ];
  return `\uFEFF${[...meta, line(head), ...body.map(line)].join('\r\n')}\r\n`;
}
