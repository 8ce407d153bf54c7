import { z } from 'zod';

// The shape of a tenant's stage model, as the API accepts it. Semantic checks (unknown names,
// cycles, an empty list) are in model.validate.ts; this file is the syntax.

const key = z.string().trim().min(1).max(64).regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'letters, digits, _ and -, starting with a letter');
const label = z.string().trim().min(1).max(100);

export const optionSchema = z.object({ key, label }).strict();

export const questionSchema = z.object({
  key,
  text: z.string().trim().min(1).max(200),
  kind: z.enum(['yesno', 'single', 'multiple']),
  /** yesno questions get 是/否 (yes/no) when none are given. Choice cards take 1-20 options (the strictest platform's limit). */
  options: z.array(optionSchema).min(1).max(20).optional(),
  /** Stages at which the question is asked; default: every open stage below a stage its rules lead to. */
  stages: z.array(key).max(50).optional(),
  /** Asked only once these questions are answered. */
  dependsOn: z.array(key).max(20).optional(),
}).strict();

const target = z.union([
  z.object({ role: key }).strict(),
  z.object({ user: z.string().uuid() }).strict(),
  z.object({ owner: z.literal(true) }).strict(),
  z.object({ manager: z.literal(true) }).strict(),
]);

export const actionSchema = z.discriminatedUnion('kind', [
  /** Send the rep (the customer's owner) a message or a document link. */
  z.object({ kind: z.literal('message'), text: z.string().trim().min(1).max(1000), title: label.optional(), url: z.string().url().max(1000).optional() }).strict(),
  /** A todo with a deadline for a role, a person, the owner or the owner's manager; escalated to managers when missed. */
  z.object({ kind: z.literal('todo'), title: z.string().trim().min(1).max(200), assignee: target, dueMinutes: z.number().int().min(1).max(60 * 24 * 90) }).strict(),
  z.object({ kind: z.literal('notifyManager'), text: z.string().trim().min(1).max(1000).optional() }).strict(),
  /** Comparable won deals (same product or industry) from the tenant's own history, sent to the rep. */
  z.object({ kind: z.literal('comparableDeals') }).strict(),
]);

export const stageSchema = z.object({
  key,
  name: label,
  /** Terminal stages: won or lost (entered by hand, with a reason). */
  outcome: z.enum(['won', 'lost']).optional(),
  /** Fields the customer must have (a custom field, name/company/title/region, or an answered question of that key). */
  requires: z.array(key).max(10).optional(),
  /** Days a customer may sit here before the rep is asked again; default the model's stuckDays. */
  limitDays: z.number().int().min(1).max(365).optional(),
  actions: z.array(actionSchema).max(10).optional(),
}).strict();

export const ruleSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  /** Every condition must hold; `equals` names an option key, or any of several. */
  when: z.array(z.object({ question: key, equals: z.union([key, z.array(key).min(1).max(20)]) }).strict()).min(1).max(10),
  stage: key,
}).strict();

export const roleSchema = z.object({ key, name: label, userIds: z.array(z.string().uuid()).max(200) }).strict();

export const stageModelSchema = z.object({
  stages: z.array(stageSchema).max(30),
  questions: z.array(questionSchema).max(100).default([]),
  /** Ordered: the first rule whose conditions hold decides (list the furthest stage first). */
  rules: z.array(ruleSchema).max(200).default([]),
  roles: z.array(roleSchema).max(50).default([]),
  stuckDays: z.number().int().min(1).max(365).default(14),
}).strict();

export type StageModel = z.infer<typeof stageModelSchema>;
export type StageDef = z.infer<typeof stageSchema>;
export type QuestionDef = z.infer<typeof questionSchema>;
export type RuleDef = z.infer<typeof ruleSchema>;
export type StageAction = z.infer<typeof actionSchema>;
export type Option = z.infer<typeof optionSchema>;

export const YES_NO: Option[] = [{ key: 'yes', label: '是' }, { key: 'no', label: '否' }];

export function optionsOf(q: QuestionDef): Option[] {
  return q.options ?? (q.kind === 'yesno' ? YES_NO : []);
}

/** Who did something, as history and the API show it. */
export interface Actor {
  userId: string | null;
  actor: string;
  name: string;
}

export interface Versioned {
  version: number;
  model: StageModel;
}
