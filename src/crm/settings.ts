import { z } from 'zod';
import type { Tx } from '../db/database.js';
import { getTenant, updateTenantSettings } from './tenants.repo.js';

const level = z.enum(['high', 'medium', 'low']);
const list = z.array(z.string().trim().min(1).max(100)).min(1).max(200);

export const assignmentRuleSchema = z.object({
  name: z.string().trim().max(100).optional(),
  when: z.object({
    sourceChannel: list.optional(),
    region: list.optional(),
    product: list.optional(),
    intent: z.array(level).min(1).optional(),
  }).strict().default({}),
  target: z.union([
    z.object({ pool: z.array(z.string().uuid()).min(1).max(500) }).strict(),
    z.object({ rep: z.string().uuid() }).strict(),
    z.object({ managers: z.literal(true) }).strict(),
  ]),
}).strict();

export const assignmentSettingsSchema = z.object({
  claimTimeoutSeconds: z.number().int().min(30).max(7 * 86400).default(1800),
  maxReassignments: z.number().int().min(0).max(20).default(2),
  sourceWeights: z.record(z.string().trim().min(1).max(50), z.number().min(0).max(100)).default({}),
  rules: z.array(assignmentRuleSchema).max(100).default([]),
}).strict();

export type AssignmentRule = z.infer<typeof assignmentRuleSchema>;
export type AssignmentSettings = z.infer<typeof assignmentSettingsSchema>;

export const defaultAssignmentSettings: AssignmentSettings = assignmentSettingsSchema.parse({});

/** A tenant's settings under `key`, read through its schema; a stored value that no longer parses reads as the default. */
async function readSettings<T>(tx: Tx, tenantId: string, key: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  const t = await getTenant(tx, tenantId);
  const parsed = schema.safeParse(t?.settings[key] ?? {});
  return parsed.success ? parsed.data : fallback;
}

export function getAssignmentSettings(tx: Tx, tenantId: string): Promise<AssignmentSettings> {
  return readSettings(tx, tenantId, 'assignment', assignmentSettingsSchema, defaultAssignmentSettings);
}

export async function putAssignmentSettings(tx: Tx, tenantId: string, s: AssignmentSettings, actor: string): Promise<void> {
  await updateTenantSettings(tx, tenantId, 'assignment', s, actor);
}

const roleList = z.array(z.enum(['admin', 'manager', 'rep'])).max(3);

/**
 * Per tenant: which roles see each contact field in full on customers they do not own (the owner
 * always does; API keys and the operator act for the whole tenant and see everything). Default:
 * phones and e-mails masked for reps; nothing else is hidden from anyone.
 */
export const fieldAccessSchema = z.object({
  phone: roleList.default(['admin', 'manager']),
  email: roleList.default(['admin', 'manager']),
  wechat_id: roleList.default(['admin', 'manager', 'rep']),
}).strict();

export type FieldAccess = z.infer<typeof fieldAccessSchema>;
export type MaskableField = keyof FieldAccess;
export const defaultFieldAccess: FieldAccess = fieldAccessSchema.parse({});

export function getFieldAccess(tx: Tx, tenantId: string): Promise<FieldAccess> {
  return readSettings(tx, tenantId, 'fieldAccess', fieldAccessSchema, defaultFieldAccess);
}

export async function putFieldAccess(tx: Tx, tenantId: string, s: FieldAccess, actor: string): Promise<void> {
  await updateTenantSettings(tx, tenantId, 'fieldAccess', s, actor);
}
