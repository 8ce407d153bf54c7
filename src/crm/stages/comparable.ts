import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';

export interface ComparableDeals {
  count: number;
  /** Days from a customer's first stage to won. */
  medianCycleDays: number | null;
  priceRange: { min: number; max: number } | null;
  /** The most common payment terms, most frequent first. */
  paymentTerms: string[];
  basis: { products: string[]; industry: string | null };
}

/**
 * Won deals of the same tenant comparable to this customer: a product in common (from the
 * customers' conversations, or the products recorded when the deal was won) or the same industry.
 */
export async function comparableDeals(tx: Tx, tenantId: string, customerId: string): Promise<ComparableDeals> {
  const mine = ((await tx.execute(sql`
    select distinct p->>'id' as sku from interactions i, jsonb_array_elements(coalesce(i.entities->'products', '[]'::jsonb)) p
    where i.tenant_id = ${tenantId} and i.customer_id = ${customerId} and p->>'id' is not null
  `)) as unknown as { rows: { sku: string }[] }).rows.map((r) => r.sku);
  const [cust] = ((await tx.execute(sql`select custom_fields->>'industry' as industry from customers where tenant_id = ${tenantId} and id = ${customerId}`)) as unknown as { rows: { industry: string | null }[] }).rows;
  const industry = cust?.industry ?? null;
  const skus = `{${mine.map((s) => `"${s.replace(/["\\]/g, '')}"`).join(',')}}`;
  const rows = ((await tx.execute(sql`
    select w.customer_id, w.entered_at, w.details,
      (select min(s.entered_at) from stage_entries s where s.tenant_id = w.tenant_id and s.customer_id = w.customer_id) as started_at
    from stage_entries w join customers c on c.tenant_id = w.tenant_id and c.id = w.customer_id
    where w.tenant_id = ${tenantId} and w.outcome = 'won' and w.customer_id <> ${customerId}
      and (
        (${industry}::text is not null and c.custom_fields->>'industry' = ${industry}::text)
        or exists (select 1 from jsonb_array_elements_text(case when jsonb_typeof(w.details->'products') = 'array' then w.details->'products' else '[]'::jsonb end) x where x = any(${skus}::text[]))
        or exists (
          select 1 from interactions i, jsonb_array_elements(coalesce(i.entities->'products', '[]'::jsonb)) p
          where i.tenant_id = w.tenant_id and i.customer_id = w.customer_id and p->>'id' = any(${skus}::text[])
        )
      )
    order by w.entered_at desc limit 200
  `)) as unknown as { rows: { customer_id: string; entered_at: string | Date; details: Record<string, unknown>; started_at: string | Date }[] }).rows;
  const days = rows.map((r) => (new Date(r.entered_at).getTime() - new Date(r.started_at).getTime()) / 86_400_000).sort((a, b) => a - b);
  const prices = rows.map((r) => Number(r.details.amount)).filter((n) => Number.isFinite(n) && n > 0);
  const terms = new Map<string, number>();
  for (const r of rows) if (typeof r.details.paymentTerms === 'string' && r.details.paymentTerms) terms.set(r.details.paymentTerms, (terms.get(r.details.paymentTerms) ?? 0) + 1);
  return {
    count: rows.length,
    medianCycleDays: days.length ? Math.round(median(days) * 10) / 10 : null,
    priceRange: prices.length ? { min: Math.min(...prices), max: Math.max(...prices) } : null,
    paymentTerms: [...terms.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t).slice(0, 3),
    basis: { products: mine, industry },
  };
}

export function median(sorted: number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

export function comparableText(d: ComparableDeals): string {
  if (d.count === 0) return '暂无可比的成交案例（同产品或同行业）。';
  const lines = [`同产品或同行业的成交案例 ${d.count} 个：`];
  if (d.medianCycleDays !== null) lines.push(`典型成交周期：${d.medianCycleDays} 天（中位数）`);
  if (d.priceRange) lines.push(`成交价格：${fmtYuan(d.priceRange.min)} – ${fmtYuan(d.priceRange.max)}`);
  if (d.paymentTerms.length) lines.push(`常见付款方式：${d.paymentTerms.join('、')}`);
  return lines.join('\n');
}

function fmtYuan(n: number): string {
  return n >= 10_000 ? `${Math.round(n / 1000) / 10} 万元` : `${n} 元`;
}
