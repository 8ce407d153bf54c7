import { z } from 'zod';
import type { Tx } from '../../db/database.js';
import { getTenant, updateTenantSettings } from '../tenants.repo.js';

const share = z.number().min(0).max(1);

/** Health thresholds, alerts and the weekly report, per tenant (tenants.settings.insight). */
export const insightSettingsSchema = z.object({
  /** A first response within this many minutes counts for the response rate. */
  responseMinutes: z.number().int().min(1).max(24 * 60).default(30),
  thresholds: z.object({
    responseRate: share.default(0.8),
    completeness: share.default(0.92),
    collaboration: z.number().min(0).max(10).default(1.8),
    survival: share.default(0.6),
  }).strict().default({ responseRate: 0.8, completeness: 0.92, collaboration: 1.8, survival: 0.6 }),
  /** A card to the manager once a threshold has been broken this many local days in a row. */
  alertAfterDays: z.number().int().min(1).max(30).default(3),
  alerts: z.boolean().default(true),
  /** Monday 09:00 tenant time, to each manager. */
  weeklyReport: z.boolean().default(true),
}).strict();

export type InsightSettings = z.infer<typeof insightSettingsSchema>;
export const defaultInsightSettings: InsightSettings = insightSettingsSchema.parse({});

const words = z.array(z.string().trim().min(1).max(30)).min(1).max(100);
const tag = z.string().trim().min(1).max(30);
const base = {
  id: z.string().trim().min(1).max(40).regex(/^[a-z][a-z0-9_-]*$/, 'lower-case letters, digits, _ and -'),
  name: z.string().trim().max(100).optional(),
  enabled: z.boolean().default(false),
  /** Set by the server when a rule is switched on: events before it are not acted on. */
  enabledAt: z.string().datetime().optional(),
};

// Each rule is data: when (the trigger) -> if (the condition) -> then (the actions).
export const automationRuleSchema = z.discriminatedUnion('kind', [
  z.object({
    ...base, kind: z.literal('silence'),
    when: z.object({ silentDays: z.number().int().min(1).max(365) }).strict(),
    if: z.object({ stageNotIn: z.array(tag).max(20).default(['won', 'lost']) }).strict().default({ stageNotIn: ['won', 'lost'] }),
    then: z.object({ todo: z.literal('owner'), escalateAfterDays: z.number().int().min(1).max(365) }).strict(),
  }).strict(),
  z.object({
    ...base, kind: z.literal('revisit'),
    when: z.object({ monthsAfterWon: z.number().int().min(1).max(60) }).strict(),
    if: z.object({}).strict().default({}),
    then: z.object({ task: z.literal('owner'), title: z.string().trim().min(1).max(100).default('回访') }).strict(),
  }).strict(),
  z.object({
    ...base, kind: z.literal('satisfaction'),
    when: z.object({ event: z.literal('satisfaction') }).strict(),
    if: z.object({ scoreAtMost: z.number().int().min(1).max(5).default(3) }).strict(),
    then: z.object({ ticket: z.literal('regionServiceManager'), serviceManagers: z.record(tag, z.string().uuid()).default({}) }).strict(),
  }).strict(),
  z.object({
    ...base, kind: z.literal('priceSensitive'),
    when: z.object({ words }).strict(),
    if: z.object({ noReplyDays: z.number().int().min(1).max(60) }).strict(),
    then: z.object({ tag, todo: z.literal('owner'), material: z.string().trim().min(1).max(500) }).strict(),
  }).strict(),
  z.object({
    ...base, kind: z.literal('keywords'),
    when: z.object({ words }).strict(),
    if: z.object({}).strict().default({}),
    then: z.object({ tag, board: z.literal('regionManager') }).strict(),
  }).strict(),
  z.object({
    ...base, kind: z.literal('churnRisk'),
    when: z.object({
      signals: z.object({
        silentDays: z.number().int().min(1).max(365),
        lowSatisfaction: z.number().int().min(1).max(5),
        words,
      }).strict(),
    }).strict(),
    if: z.object({ minSignals: z.number().int().min(1).max(4) }).strict(),
    then: z.object({ tag, todo: z.literal('owner'), notifyManager: z.boolean().default(true) }).strict(),
  }).strict(),
]);

export type AutomationRule = z.infer<typeof automationRuleSchema>;
export type RuleOf<K extends AutomationRule['kind']> = Extract<AutomationRule, { kind: K }>;

export const automationSettingsSchema = z.object({
  rules: z.array(automationRuleSchema).max(50).default([]),
  /** How often the rules are checked. */
  sweepMinutes: z.number().int().min(1).max(24 * 60).default(15),
}).strict().superRefine((s, ctx) => {
  const seen = new Set<string>();
  s.rules.forEach((r, i) => {
    if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id ${r.id}` });
    seen.add(r.id);
  });
});

export type AutomationSettings = z.infer<typeof automationSettingsSchema>;

/** Every kind of rule, switched off: what a tenant starts with. */
export const defaultAutomation: AutomationSettings = automationSettingsSchema.parse({
  rules: [
    { id: 'silence', kind: 'silence', name: '沉默客户', when: { silentDays: 14 }, then: { todo: 'owner', escalateAfterDays: 3 } },
    { id: 'revisit', kind: 'revisit', name: '成交回访', when: { monthsAfterWon: 3 }, then: { task: 'owner' } },
    { id: 'satisfaction', kind: 'satisfaction', name: '满意度关怀', when: { event: 'satisfaction' }, if: { scoreAtMost: 3 }, then: { ticket: 'regionServiceManager' } },
    { id: 'price', kind: 'priceSensitive', name: '价格敏感', when: { words: ['价格', '报价', '多少钱', '优惠', '便宜', '折扣'] }, if: { noReplyDays: 2 }, then: { tag: '价格敏感', todo: 'owner', material: '竞品对比资料' } },
    { id: 'keywords', kind: 'keywords', name: '高意向关键词', when: { words: ['招标', '参数', '替代'] }, then: { tag: '高意向', board: 'regionManager' } },
    { id: 'churn', kind: 'churnRisk', name: '流失风险', when: { signals: { silentDays: 21, lowSatisfaction: 3, words: ['取消', '退货', '换供应商', '太贵'] } }, if: { minSignals: 2 }, then: { tag: '流失风险', todo: 'owner' } },
  ],
});

async function read<T>(tx: Tx, tenantId: string, key: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  const t = await getTenant(tx, tenantId);
  const raw = t?.settings[key];
  if (raw === undefined) return fallback;
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : fallback;
}

export const getInsightSettings = (tx: Tx, tenantId: string) => read(tx, tenantId, 'insight', insightSettingsSchema, defaultInsightSettings);
export const getAutomation = (tx: Tx, tenantId: string) => read(tx, tenantId, 'automation', automationSettingsSchema, defaultAutomation);

export async function putInsightSettings(tx: Tx, tenantId: string, s: InsightSettings, actor: string): Promise<void> {
  await updateTenantSettings(tx, tenantId, 'insight', s, actor);
}

/** Stores rules; a rule switched on now is stamped enabledAt = now (earlier events are history, not triggers). */
export async function putAutomation(tx: Tx, tenantId: string, next: AutomationSettings, actor: string, now: Date): Promise<AutomationSettings> {
  const before = await getAutomation(tx, tenantId);
  const was = new Map(before.rules.map((r) => [r.id, r]));
  const rules = next.rules.map((r) => {
    const prev = was.get(r.id);
    if (!r.enabled) return { ...r, enabledAt: undefined };
    return { ...r, enabledAt: prev?.enabled && prev.enabledAt ? prev.enabledAt : now.toISOString() };
  });
  const stored = { ...next, rules } as AutomationSettings;
  await updateTenantSettings(tx, tenantId, 'automation', stored, actor);
  return stored;
}
