import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { customers, users } from '../../db/schema.js';
import { createTask } from '../tasks.repo.js';
import { getAutomation, type AutomationRule } from './settings.js';
import { churnRisk, keywords, priceSensitive, revisit, satisfaction, silence, type Hit } from './automation.rules.js';
import { localDay } from './period.js';
import { rows } from './scope.js';

/** What to tell whom in chat; the bot turns it into messages. */
export interface Notice {
  userId: string;
  text: string;
  taskId: string | null;
}

/** Records that a rule acted on a subject; false when it already had (the rule acts once per subject). */
async function claimFiring(tx: Tx, tenantId: string, ruleId: string, hit: Hit): Promise<string | null> {
  const r = await rows<{ id: string }>(tx, sql`
    insert into automation_firings (tenant_id, rule_id, subject, customer_id) values (${tenantId}, ${ruleId}, ${hit.subject}, ${hit.customerId}::uuid)
    on conflict (tenant_id, rule_id, subject) do nothing returning id`);
  return r[0]?.id ?? null;
}

async function addTag(tx: Tx, tenantId: string, customerId: string, tag: string, now: Date): Promise<void> {
  await tx.execute(sql`update customers set tags = array_append(tags, ${tag}::text), updated_at = ${now}
    where tenant_id = ${tenantId} and id = ${customerId} and not (${tag}::text = any(tags))`);
}

/** The managers of a region, else the managers without one, else every manager. */
export async function managersFor(tx: Tx, tenantId: string, region: string | null): Promise<string[]> {
  const all = await tx.select({ id: users.id, region: users.region }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.role, 'manager'), eq(users.active, true)));
  const ofRegion = all.filter((m) => region && m.region === region);
  if (ofRegion.length) return ofRegion.map((m) => m.id);
  const general = all.filter((m) => !m.region);
  return (general.length ? general : all).map((m) => m.id);
}

async function labelOf(tx: Tx, tenantId: string, customerId: string): Promise<string> {
  const [c] = await tx.select({ name: customers.name, title: customers.title, company: customers.company }).from(customers).where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)));
  const who = `${c?.name ?? ''}${c?.title ?? ''}` || '未具名客户';
  return c?.company ? `${who}（${c.company}）` : who;
}

const SIGNALS: Record<string, string> = { silent: '久未往来', unhappy: '满意度低', words: '提到流失词', lost: '近期丢单' };

async function act(tx: Tx, tenantId: string, rule: AutomationRule, hit: Hit, step: string, now: Date): Promise<Notice[]> {
  const label = await labelOf(tx, tenantId, hit.customerId);
  const out: Notice[] = [];
  const task = async (assigneeId: string, title: string, text: string, payload: Record<string, unknown> = {}) => {
    const t = await createTask(tx, tenantId, { kind: `sop.${rule.kind}`, title, assigneeId, customerId: hit.customerId, leadId: hit.leadId ?? null, dueAt: now, payload: { ruleId: rule.id, subject: hit.subject, ...payload } }, `rule:${rule.id}`);
    out.push({ userId: assigneeId, text, taskId: t.id });
    return t.id;
  };
  const owner = hit.ownerId;
  switch (rule.kind) {
    case 'silence': {
      const days = Number(hit.facts.days);
      if (step === 'owner' && owner) await task(owner, `联系沉默客户 ${label}`, `沉默客户：${label} 已 ${days} 天没有往来，请跟进。`);
      if (step === 'manager') {
        for (const m of await managersFor(tx, tenantId, hit.region)) await task(m, `沉默客户升级 ${label}`, `沉默客户升级：${label} 已 ${days} 天没有往来，负责人仍未跟进，请经理处理。`);
      }
      break;
    }
    case 'revisit':
      if (owner) await task(owner, `${rule.then.title} ${label}`, `${rule.then.title}：${label} 成交已满 ${rule.when.monthsAfterWon} 个月，请安排回访。`);
      break;
    case 'satisfaction': {
      const to = (hit.region && rule.then.serviceManagers[hit.region]) || null;
      for (const m of to ? [to] : await managersFor(tx, tenantId, hit.region)) {
        await task(m, `关怀工单 ${label}`, `关怀工单：${label} 满意度 ${String(hit.facts.score)} 分，请安排关怀回访。`, { score: hit.facts.score });
      }
      break;
    }
    case 'priceSensitive':
      await addTag(tx, tenantId, hit.customerId, rule.then.tag, now);
      if (owner) await task(owner, `价格顾虑 ${label}`, `价格敏感：${label} 问过价格，${rule.if.noReplyDays} 天没有回复。对比资料：${rule.then.material}`, { material: rule.then.material });
      break;
    case 'keywords':
      await addTag(tx, tenantId, hit.customerId, rule.then.tag, now);
      for (const m of await managersFor(tx, tenantId, hit.region)) {
        await task(m, `${rule.then.tag} ${label}`, `${rule.then.tag}：${label} 说“${String(hit.facts.text ?? '')}”，已放到经理看板。`, { board: true });
      }
      break;
    case 'churnRisk': {
      const signals = Object.entries(hit.facts).filter(([, v]) => v === true).map(([k]) => SIGNALS[k] ?? k).join('、');
      await addTag(tx, tenantId, hit.customerId, rule.then.tag, now);
      if (owner) await task(owner, `挽留 ${label}`, `流失风险：${label}（${signals}），请尽快联系。`, { signals });
      if (rule.then.notifyManager) for (const m of await managersFor(tx, tenantId, hit.region)) out.push({ userId: m, text: `流失风险：${label}（${signals}）`, taskId: null });
      break;
    }
  }
  return out;
}

/** One sweep: every enabled rule of the tenant, each subject acted on once. In the caller's transaction. */
export async function runAutomation(tx: Tx, tenantId: string, now: Date, timeZone: string): Promise<Notice[]> {
  const settings = await getAutomation(tx, tenantId);
  const out: Notice[] = [];
  for (const rule of settings.rules) {
    if (!rule.enabled) continue;
    const batches: [string, Hit[]][] = [];
    if (rule.kind === 'silence') batches.push(['owner', await silence(tx, tenantId, rule, now, 'owner')], ['manager', await silence(tx, tenantId, rule, now, 'manager')]);
    else if (rule.kind === 'revisit') batches.push(['', await revisit(tx, tenantId, rule, now)]);
    else if (rule.kind === 'satisfaction') batches.push(['', await satisfaction(tx, tenantId, rule, now)]);
    else if (rule.kind === 'priceSensitive') batches.push(['', await priceSensitive(tx, tenantId, rule, now)]);
    else if (rule.kind === 'keywords') batches.push(['', await keywords(tx, tenantId, rule, now)]);
    else batches.push(['', await churnRisk(tx, tenantId, rule, now, localDay(now, timeZone).slice(0, 7))]);
    for (const [step, hits] of batches) {
      for (const hit of hits) {
        const firing = await claimFiring(tx, tenantId, rule.id, hit);
        if (!firing) continue;
        const notices = await act(tx, tenantId, rule, hit, step, now);
        const ids = notices.map((n) => n.taskId).filter((x): x is string => !!x);
        if (ids.length) await tx.execute(sql`update automation_firings set task_ids = array[${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)}] where id = ${firing}`);
        out.push(...notices);
      }
    }
  }
  return out;
}
