import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { rows } from './scope.js';
import type { RuleOf } from './settings.js';

// What each rule finds at a sweep: its subjects (the thing it acts on once) not yet acted on.
// Every query skips subjects already in automation_firings for the rule, and is bounded.

export interface Hit {
  subject: string;
  customerId: string;
  ownerId: string | null;
  region: string | null;
  leadId?: string;
  /** Facts for the message (days silent, the score, the words). */
  facts: Record<string, unknown>;
}

const LIMIT = 200;
const DAY = 86_400_000;
const since = (r: { enabledAt?: string }) => new Date(r.enabledAt ?? 0);
const unfired = (tenantId: string, ruleId: string, subject: SQL) =>
  sql`not exists (select 1 from automation_firings f where f.tenant_id = ${tenantId} and f.rule_id = ${ruleId} and f.subject = ${subject})`;
const anyWord = (col: SQL, words: string[]) => sql`(${sql.join(words.map((w) => sql`position(${w} in ${col}) > 0`), sql` or `)})`;
const lastTouch = (tenantId: string) =>
  sql`coalesce((select max(i.occurred_at) from interactions i where i.tenant_id = ${tenantId} and i.customer_id = c.id), c.created_at)`;
const stageFree = (stages: string[]) => (stages.length ? sql`c.stage not in (${sql.join(stages.map((s) => sql`${s}`), sql`, `)})` : sql`true`);

async function hits(tx: Tx, q: SQL): Promise<Hit[]> {
  const r = await rows<{ subject: string; customer_id: string; owner_id: string | null; region: string | null; lead_id?: string; facts: Record<string, unknown> }>(tx, q);
  return r.map((x) => ({ subject: x.subject, customerId: x.customer_id, ownerId: x.owner_id, region: x.region, ...(x.lead_id ? { leadId: x.lead_id } : {}), facts: x.facts ?? {} }));
}

/** Silent customers: step 'owner' after silentDays; step 'manager' escalateAfterDays later if still silent. */
export function silence(tx: Tx, tenantId: string, r: RuleOf<'silence'>, now: Date, step: 'owner' | 'manager'): Promise<Hit[]> {
  const days = r.when.silentDays + (step === 'manager' ? r.then.escalateAfterDays : 0);
  const key = (t: SQL) => sql`${step}::text || ':' || c.id || ':' || (extract(epoch from ${t}) * 1000)::bigint`;
  return hits(tx, sql`
    select ${key(sql`t.last`)} as subject, c.id as customer_id, c.owner_id, c.region, jsonb_build_object('days', ${days}::int) as facts
    from customers c cross join lateral (select ${lastTouch(tenantId)} as last) t
    where c.tenant_id = ${tenantId} and c.merged_into is null and c.owner_id is not null and ${stageFree(r.if.stageNotIn)}
      and t.last <= ${new Date(now.getTime() - days * DAY)}
      and ${unfired(tenantId, r.id, key(sql`t.last`))}
      ${step === 'manager' ? sql`and not ${unfired(tenantId, r.id, sql`'owner:' || c.id || ':' || (extract(epoch from t.last) * 1000)::bigint`)}` : sql``}
    order by t.last limit ${LIMIT}`);
}

/** N months after a lead was won (leads.status_history), for revisits due since the rule was switched on. */
export function revisit(tx: Tx, tenantId: string, r: RuleOf<'revisit'>, now: Date): Promise<Hit[]> {
  const months = sql.raw(`interval '${r.when.monthsAfterWon} months'`);
  return hits(tx, sql`
    select 'lead:' || l.id as subject, c.id as customer_id, coalesce(c.owner_id, l.assignee_id) as owner_id, c.region, l.id as lead_id,
      jsonb_build_object('wonAt', w.at) as facts
    from leads l join customers c on c.id = l.customer_id
    cross join lateral (select max((e ->> 'at')::timestamptz) as at from jsonb_array_elements(l.status_history) e where e ->> 'status' = 'won') w
    where l.tenant_id = ${tenantId} and l.status = 'won' and w.at + ${months} <= ${now} and w.at + ${months} >= ${since(r)}
      and ${unfired(tenantId, r.id, sql`'lead:' || l.id`)}
    order by w.at limit ${LIMIT}`);
}

/** A satisfaction score at or below the bar (interactions of channel 'satisfaction'). */
export function satisfaction(tx: Tx, tenantId: string, r: RuleOf<'satisfaction'>, _now: Date): Promise<Hit[]> {
  return hits(tx, sql`
    select 'int:' || i.id as subject, c.id as customer_id, c.owner_id, c.region, jsonb_build_object('score', i.entities -> 'score') as facts
    from interactions i join customers c on c.id = i.customer_id
    where i.tenant_id = ${tenantId} and i.channel = 'satisfaction' and (i.entities ->> 'score')::int <= ${r.if.scoreAtMost}
      and i.occurred_at >= ${since(r)} and ${unfired(tenantId, r.id, sql`'int:' || i.id`)}
    order by i.occurred_at limit ${LIMIT}`);
}

/** A customer's message asking about price, with no reply from us for noReplyDays. */
export function priceSensitive(tx: Tx, tenantId: string, r: RuleOf<'priceSensitive'>, now: Date): Promise<Hit[]> {
  return hits(tx, sql`
    select 'int:' || i.id as subject, c.id as customer_id, c.owner_id, c.region, jsonb_build_object('days', ${r.if.noReplyDays}::int) as facts
    from interactions i join customers c on c.id = i.customer_id
    where i.tenant_id = ${tenantId} and i.direction = 'in' and ${anyWord(sql`i.text`, r.when.words)}
      and i.occurred_at >= ${since(r)} and i.occurred_at <= ${new Date(now.getTime() - r.if.noReplyDays * DAY)}
      and not exists (select 1 from interactions o where o.tenant_id = ${tenantId} and o.customer_id = i.customer_id and o.direction = 'out' and o.occurred_at > i.occurred_at)
      and ${unfired(tenantId, r.id, sql`'int:' || i.id`)}
    order by i.occurred_at limit ${LIMIT}`);
}

/** A customer's message with one of the tenant's words: once per customer. */
export function keywords(tx: Tx, tenantId: string, r: RuleOf<'keywords'>, _now: Date): Promise<Hit[]> {
  return hits(tx, sql`
    select distinct on (c.id) 'customer:' || c.id as subject, c.id as customer_id, c.owner_id, c.region,
      jsonb_build_object('text', left(i.text, 60)) as facts
    from interactions i join customers c on c.id = i.customer_id
    where i.tenant_id = ${tenantId} and i.direction = 'in' and ${anyWord(sql`i.text`, r.when.words)} and i.occurred_at >= ${since(r)}
      and c.merged_into is null and ${unfired(tenantId, r.id, sql`'customer:' || c.id`)}
    order by c.id, i.occurred_at limit ${LIMIT}`);
}

/** Signals: silent, an unhappy score (90 days), churn words (30 days), a lost lead (90 days). Once per customer per month. */
export function churnRisk(tx: Tx, tenantId: string, r: RuleOf<'churnRisk'>, now: Date, month: string): Promise<Hit[]> {
  const s = r.when.signals;
  const ago = (d: number) => new Date(now.getTime() - d * DAY);
  return hits(tx, sql`
    select * from (
      select 'customer:' || c.id || ':' || ${month}::text as subject, c.id as customer_id, c.owner_id, c.region,
        jsonb_build_object(
          'silent', ${lastTouch(tenantId)} <= ${ago(s.silentDays)},
          'unhappy', exists (select 1 from interactions i where i.tenant_id = ${tenantId} and i.customer_id = c.id and i.channel = 'satisfaction'
            and (i.entities ->> 'score')::int <= ${s.lowSatisfaction} and i.occurred_at > ${ago(90)}),
          'words', exists (select 1 from interactions i where i.tenant_id = ${tenantId} and i.customer_id = c.id and i.direction = 'in'
            and i.occurred_at > ${ago(30)} and ${anyWord(sql`i.text`, s.words)}),
          'lost', exists (select 1 from leads l where l.tenant_id = ${tenantId} and l.customer_id = c.id and l.status = 'lost' and l.updated_at > ${ago(90)})
        ) as facts
      from customers c
      where c.tenant_id = ${tenantId} and c.merged_into is null and c.owner_id is not null
        and ${unfired(tenantId, r.id, sql`'customer:' || c.id || ':' || ${month}::text`)}
    ) x
    where ((facts ->> 'silent')::boolean::int + (facts ->> 'unhappy')::boolean::int + (facts ->> 'words')::boolean::int + (facts ->> 'lost')::boolean::int) >= ${r.if.minSignals}
    limit ${LIMIT}`);
}
