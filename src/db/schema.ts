import { sql } from 'drizzle-orm';
import {
  bigserial, boolean, check, customType, date, doublePrecision, index, integer, jsonb, numeric, pgTable, primaryKey, real, smallint, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';

// Every table carries tenant_id; every query filters on it. Timestamps are timestamptz.

// Millisecond precision so a JS Date round-trips exactly (cursor pagination depends on it).
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
const createdAt = () => ts('created_at').notNull().defaultNow();

export const tenants = pgTable('tenants', {
  tenantId: text('tenant_id').primaryKey(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull().default('Asia/Shanghai'),
  // Per-platform channel credentials, each SecretBox-sealed JSON: { [platform]: sealed }.
  channels: jsonb('channels').$type<Record<string, string>>().notNull().default({}),
  formKey: text('form_key'),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('tenants_form_key_uq').on(t.formKey),
]);

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  role: text('role', { enum: ['admin', 'manager', 'rep'] }).notNull(),
  name: text('name').notNull(),
  region: text('region'),
  // { tz?: string, days: number[] (1=Mon..7=Sun), start: 'HH:MM', end: 'HH:MM' }
  workingHours: jsonb('working_hours').$type<WorkingHours | null>(),
  onDuty: boolean('on_duty').notNull().default(false),
  capacity: integer('capacity'),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  index('users_tenant_idx').on(t.tenantId, t.createdAt),
  check('users_role_ck', sql`${t.role} in ('admin', 'manager', 'rep')`),
]);

// A person's chat accounts, one row each (a user may hold several, on several platforms): the
// platform's name, which of its ids this is (e.g. 'userid', 'unionid') and the id. Like
// customer_identities, one account belongs to at most one user per tenant.
export const userAccounts = pgTable('user_accounts', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  platform: text('platform').notNull(),
  kind: text('kind').notNull(),
  value: text('value').notNull(),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('user_accounts_uq').on(t.tenantId, t.platform, t.kind, t.value),
  index('user_accounts_user_idx').on(t.tenantId, t.userId),
]);

export interface WorkingHours {
  days: number[];
  start: string;
  end: string;
}

export const products = pgTable('products', {
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  sku: text('sku').notNull(),
  name: text('name').notNull(),
  aliases: text('aliases').array().notNull().default(sql`'{}'::text[]`),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.sku] })]);

export const customers = pgTable('customers', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  name: text('name'),
  company: text('company'),
  title: text('title'),
  tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
  ownerId: uuid('owner_id').references(() => users.id),
  sourceChannel: text('source_channel'),
  utm: jsonb('utm').$type<Record<string, string>>().notNull().default({}),
  region: text('region'),
  stage: text('stage').notNull().default('new'),
  score: real('score').notNull().default(0),
  customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
  // Fields a person edited by hand; extraction never overwrites them.
  manualFields: text('manual_fields').array().notNull().default(sql`'{}'::text[]`),
  // Disagreeing values kept side by side: [{ field, values: [...], at }]
  conflicts: jsonb('conflicts').$type<FieldConflict[]>().notNull().default([]),
  mergedInto: uuid('merged_into'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  index('customers_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
  index('customers_tenant_owner_idx').on(t.tenantId, t.ownerId),
]);

export interface FieldConflict {
  field: string;
  values: string[];
  at: string;
}

// Kinds every source shares; a platform's own contact ids are '<platform>_<id name>' kinds that its
// adapter names (contactIdentity), so the core lists none of them.
export const commonIdentityKinds = ['phone', 'email', 'wechat_id', 'openid'] as const;
export type CommonIdentityKind = (typeof commonIdentityKinds)[number];
export type IdentityKind = CommonIdentityKind | `${string}_${string}`;

export const customerIdentities = pgTable('customer_identities', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  kind: text('kind').$type<IdentityKind>().notNull(),
  value: text('value').notNull(),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('customer_identities_uq').on(t.tenantId, t.kind, t.value),
  index('customer_identities_customer_idx').on(t.tenantId, t.customerId),
  check('customer_identities_kind_ck', sql`${t.kind} in ('phone', 'email', 'openid') or ${t.kind} ~ '^[a-z][a-z0-9]*(_[a-z0-9]+)+$'`),
]);

export const leadStatuses = ['new', 'assigned', 'claimed', 'contacted', 'qualified', 'won', 'lost'] as const;
export type LeadStatus = (typeof leadStatuses)[number];

export const leads = pgTable('leads', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  status: text('status', { enum: leadStatuses }).notNull().default('new'),
  assigneeId: uuid('assignee_id').references(() => users.id),
  assignedAt: ts('assigned_at'),
  claimedAt: ts('claimed_at'),
  firstResponseAt: ts('first_response_at'),
  sourceEventId: text('source_event_id'),
  sourceChannel: text('source_channel'),
  utm: jsonb('utm').$type<Record<string, string>>().notNull().default({}),
  intentLevel: text('intent_level'),
  urgencyLevel: text('urgency_level'),
  reassignCount: integer('reassign_count').notNull().default(0),
  // Source weight x intent: orders the queue of leads waiting for a rep or a manager.
  priority: real('priority').notNull().default(1),
  statusHistory: jsonb('status_history').$type<LeadStatusChange[]>().notNull().default([]),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  index('leads_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
  index('leads_tenant_assignee_idx').on(t.tenantId, t.assigneeId, t.status),
  // With created_at, a customer's open lead comes in order from this index; without it a generic
  // plan on young statistics walked leads_tenant_created_idx through every lead of the tenant.
  index('leads_tenant_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
  // The unassigned queue: highest source weight first, then oldest.
  index('leads_queue_idx').on(t.tenantId, t.priority.desc(), t.createdAt, t.id).where(sql`assignee_id is null and status = 'new'`),
  // The heat maps (0011): a period's leads from the index alone (drizzle-kit cannot write INCLUDE; the SQL has it).
  index('leads_insight_assigned_idx').on(t.tenantId, t.assignedAt).where(sql`assignee_id is not null`),
  index('leads_insight_created_idx').on(t.tenantId, t.createdAt),
  check('leads_status_ck', sql`${t.status} in ('new', 'assigned', 'claimed', 'contacted', 'qualified', 'won', 'lost')`),
]);

export interface LeadStatusChange {
  status: LeadStatus;
  at: string;
  by?: string | null;
  assigneeId?: string | null;
  note?: string;
}

export const interactions = pgTable('interactions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  channel: text('channel').notNull(),
  direction: text('direction', { enum: ['in', 'out', 'note'] }).notNull(),
  authorId: uuid('author_id').references(() => users.id),
  text: text('text').notNull().default(''),
  platform: text('platform'),
  platformMessageId: text('platform_message_id'),
  occurredAt: ts('occurred_at').notNull(),
  entities: jsonb('entities').$type<Record<string, unknown> | null>(),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('interactions_platform_msg_uq').on(t.tenantId, t.platform, t.platformMessageId),
  index('interactions_customer_time_idx').on(t.tenantId, t.customerId, t.occurredAt),
  // Metrics and the team heat map read a tenant's interactions by time (0008 also covers customer, author, direction).
  index('interactions_tenant_time_idx').on(t.tenantId, t.occurredAt),
  // Completeness: does any message of the customer name a product.
  index('interactions_need_idx').on(t.tenantId, t.customerId).where(sql`(entities -> 'products') <> '[]'::jsonb`),
  check('interactions_direction_ck', sql`${t.direction} in ('in', 'out', 'note')`),
]);

export const tasks = pgTable('tasks', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  kind: text('kind').notNull(),
  title: text('title').notNull().default(''),
  assigneeId: uuid('assignee_id').references(() => users.id),
  customerId: uuid('customer_id').references(() => customers.id),
  leadId: uuid('lead_id').references(() => leads.id),
  dueAt: ts('due_at'),
  status: text('status', { enum: ['open', 'done', 'cancelled'] }).notNull().default('open'),
  // Where this task shows in chat: [{ platform, recipient, ref }] (card task ids, todo ids)
  cardRefs: jsonb('card_refs').$type<Record<string, unknown>[]>().notNull().default([]),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
  doneBy: uuid('done_by'),
  doneAt: ts('done_at'),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  index('tasks_tenant_assignee_idx').on(t.tenantId, t.assigneeId, t.status),
  index('tasks_tenant_customer_idx').on(t.tenantId, t.customerId),
]);

export const queueStatuses = ['pending', 'processing', 'done', 'failed', 'dead'] as const;

export const inboxEvents = pgTable('inbox_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  platform: text('platform').notNull(),
  eventId: text('event_id').notNull(),
  kind: text('kind').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  status: text('status', { enum: queueStatuses }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
  lockedUntil: ts('locked_until'),
  lastError: text('last_error'),
  receivedAt: ts('received_at').notNull().defaultNow(),
  processedAt: ts('processed_at'),
}, (t) => [
  uniqueIndex('inbox_events_uq').on(t.tenantId, t.platform, t.eventId),
  // Claims read only what is due: done rows (nearly all of them) are in neither index.
  index('inbox_events_pending_idx').on(t.nextAttemptAt, t.id).where(sql`status = 'pending'`),
  index('inbox_events_lease_idx').on(t.lockedUntil).where(sql`status = 'processing'`),
]);

export const outboxMessages = pgTable('outbox_messages', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  platform: text('platform').notNull(),
  dedupeKey: text('dedupe_key'),
  kind: text('kind').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  status: text('status', { enum: queueStatuses }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
  lockedUntil: ts('locked_until'),
  lastError: text('last_error'),
  attemptLog: jsonb('attempt_log').$type<OutboxAttempt[]>().notNull().default([]),
  result: jsonb('result').$type<Record<string, unknown> | null>(),
  createdAt: createdAt(),
  sentAt: ts('sent_at'),
}, (t) => [
  uniqueIndex('outbox_dedupe_uq').on(t.tenantId, t.platform, t.dedupeKey),
  index('outbox_pending_idx').on(t.nextAttemptAt, t.id).where(sql`status = 'pending'`),
  index('outbox_lease_idx').on(t.lockedUntil).where(sql`status = 'processing'`),
]);

export interface OutboxAttempt {
  at: string;
  ok: boolean;
  error?: string;
  retryable?: boolean;
}

export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id').notNull(),
  before: jsonb('before'),
  after: jsonb('after'),
  at: ts('at').notNull().defaultNow(),
}, (t) => [
  index('audit_entity_idx').on(t.tenantId, t.entityType, t.entityId, t.at),
  // GET /api/v1/audit reads a tenant's rows newest first.
  index('audit_tenant_id_idx').on(t.tenantId, t.id),
]);

// Shared platform credentials cache (access tokens, jsapi tickets) so several instances share one token.
export const platformTokens = pgTable('platform_tokens', {
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  platform: text('platform').notNull(),
  kind: text('kind').notNull(),
  value: text('value').notNull(), // SecretBox-sealed
  expiresAt: ts('expires_at').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.platform, t.kind] })]);

// Durable timers (claim timeouts, reminders): fired once, survive restarts.
export const timers = pgTable('timers', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  kind: text('kind').notNull(),
  refId: text('ref_id').notNull(),
  fireAt: ts('fire_at').notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
  status: text('status', { enum: ['pending', 'fired', 'cancelled'] }).notNull().default('pending'),
  createdAt: createdAt(),
  firedAt: ts('fired_at'),
}, (t) => [
  uniqueIndex('timers_ref_uq').on(t.tenantId, t.kind, t.refId),
  index('timers_due_idx').on(t.status, t.fireAt),
]);

// Tenant API keys: only a SHA-256 of the secret is stored; `prefix` (the public id part) finds the row.
export const apiKeyScopes = ['admin', 'read', 'forms'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export const apiKeys = pgTable('api_keys', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  name: text('name').notNull(),
  scope: text('scope', { enum: apiKeyScopes }).notNull(),
  prefix: text('prefix').notNull(),
  secretHash: text('secret_hash').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  lastUsedAt: ts('last_used_at'),
  revokedAt: ts('revoked_at'),
}, (t) => [
  uniqueIndex('api_keys_prefix_uq').on(t.prefix),
  index('api_keys_tenant_idx').on(t.tenantId, t.createdAt),
  check('api_keys_scope_ck', sql`${t.scope} in ('admin', 'read', 'forms')`),
]);

// One-time links that bind a person's chat account to an invited user. Only a hash of the token is kept.
export const bindingTokens = pgTable('binding_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
}, (t) => [
  uniqueIndex('binding_tokens_hash_uq').on(t.tokenHash),
  index('binding_tokens_user_idx').on(t.tenantId, t.userId),
]);

// Stage engine (issue 15). A tenant's stage model is versioned: each change is a new row, and history
// rows keep the names, questions and labels they were decided with, so old history stays readable.
export const stageModels = pgTable('stage_models', {
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  version: integer('version').notNull(),
  definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.version] })]);

/** One stay of a customer in a stage: who moved them, by which rule and answers; left_at null = current. */
export const stageEntries = pgTable('stage_entries', {
  id: uuid('id').primaryKey().defaultRandom(),
  // Insertion order: stays that began at the same instant still list in the order they happened.
  seq: bigserial('seq', { mode: 'number' }).notNull(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  modelVersion: integer('model_version').notNull(),
  stageKey: text('stage_key').notNull(),
  stageName: text('stage_name').notNull(),
  stageOrder: integer('stage_order').notNull(),
  outcome: text('outcome', { enum: ['won', 'lost'] }),
  fromKey: text('from_key'),
  ownerId: uuid('owner_id').references(() => users.id),
  actor: text('actor').notNull(),
  actorName: text('actor_name'),
  rule: text('rule'),
  answers: jsonb('answers').$type<StageAnswerSnapshot[]>().notNull().default([]),
  reason: text('reason'),
  details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  enteredAt: ts('entered_at').notNull(),
  leftAt: ts('left_at'),
  createdAt: createdAt(),
}, (t) => [
  index('stage_entries_customer_idx').on(t.tenantId, t.customerId, t.enteredAt, t.seq),
  index('stage_entries_tenant_stage_idx').on(t.tenantId, t.stageKey, t.enteredAt),
  // One current stage per customer: two concurrent moves cannot both win.
  uniqueIndex('stage_entries_current_uq').on(t.tenantId, t.customerId).where(sql`${t.leftAt} is null`),
  check('stage_entries_outcome_ck', sql`${t.outcome} is null or ${t.outcome} in ('won', 'lost')`),
]);

export interface StageAnswerSnapshot {
  question: string;
  text: string;
  values: string[];
  labels: string[];
}

/** A customer's answer to a stage question; the first answer wins (unique per customer and question). */
export const stageAnswers = pgTable('stage_answers', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  modelVersion: integer('model_version').notNull(),
  questionKey: text('question_key').notNull(),
  questionText: text('question_text').notNull(),
  values: text('values').array().notNull(),
  labels: text('labels').array().notNull(),
  userId: uuid('user_id').references(() => users.id),
  actor: text('actor').notNull(),
  actorName: text('actor_name'),
  via: text('via').notNull(),
  answeredAt: ts('answered_at').notNull(),
}, (t) => [uniqueIndex('stage_answers_uq').on(t.tenantId, t.customerId, t.questionKey)]);
// The tenant's library of quick replies (话术) for the sidebar; {客户称呼} and {产品} are filled per customer.
export const quickReplies = pgTable('quick_replies', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  title: text('title').notNull(),
  body: text('body').notNull(),
  position: integer('position').notNull().default(0),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  index('quick_replies_tenant_idx').on(t.tenantId, t.position, t.createdAt),
]);

// Issue 16. What a tenant spent on a source (and campaign) on a local day: cost per lead.
export const insightSpend = pgTable('insight_spend', {
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  day: date('day', { mode: 'string' }).notNull(),
  sourceChannel: text('source_channel').notNull(),
  campaign: text('campaign').notNull().default(''),
  amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  primaryKey({ name: 'insight_spend_pk', columns: [t.tenantId, t.day, t.sourceChannel, t.campaign] }),
  check('insight_spend_amount_ck', sql`${t.amount} >= 0`),
]);

// One row per automation rule firing: (rule, subject) is unique, so a rule acts once per subject.
export const automationFirings = pgTable('automation_firings', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  ruleId: text('rule_id').notNull(),
  subject: text('subject').notNull(),
  customerId: uuid('customer_id'),
  taskIds: uuid('task_ids').array().notNull().default(sql`'{}'::uuid[]`),
  firedAt: ts('fired_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('automation_firings_uq').on(t.tenantId, t.ruleId, t.subject),
  index('automation_firings_tenant_idx').on(t.tenantId, t.firedAt),
]);

// A health threshold broken for N local days in a row, per scope ('tenant', 'team:<region>').
export const insightAlerts = pgTable('insight_alerts', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  metric: text('metric').notNull(),
  scope: text('scope').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  value: real('value').notNull(),
  threshold: real('threshold').notNull(),
  streak: integer('streak').notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('insight_alerts_uq').on(t.tenantId, t.metric, t.scope, t.day)]);

// Issue 17. A spreadsheet import: one job per tenant and file (sha256), the file kept in chunks so
// any instance can resume it, one result per data row, and the mapping an admin chose per header set.
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
export const importStatuses = ['analyzed', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof importStatuses)[number];
export const importJobs = pgTable('import_jobs', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  fileName: text('file_name').notNull(),
  fileSha256: text('file_sha256').notNull(),
  fileBytes: integer('file_bytes').notNull(),
  format: text('format', { enum: ['xlsx', 'csv'] }).notNull(),
  encoding: text('encoding'),
  status: text('status', { enum: importStatuses }).notNull(),
  headers: jsonb('headers').$type<string[]>().notNull().default([]),
  headerRow: integer('header_row').notNull().default(0),
  totalRows: integer('total_rows').notNull().default(0),
  mapping: jsonb('mapping').$type<Record<string, string> | null>(),
  analysis: jsonb('analysis').$type<Record<string, unknown>>().notNull().default({}),
  rowsDone: integer('rows_done').notNull().default(0),
  counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
  error: jsonb('error').$type<{ code: string; message: string } | null>(),
  leaseUntil: ts('lease_until'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  startedAt: ts('started_at'),
  finishedAt: ts('finished_at'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('import_jobs_file_uq').on(t.tenantId, t.fileSha256),
  index('import_jobs_tenant_idx').on(t.tenantId, t.createdAt),
  index('import_jobs_running_idx').on(t.status, t.leaseUntil),
  check('import_jobs_status_ck', sql`${t.status} in ('analyzed', 'running', 'done', 'failed')`),
]);

export const importFiles = pgTable('import_files', {
  tenantId: text('tenant_id').notNull(),
  jobId: uuid('job_id').notNull().references(() => importJobs.id, { onDelete: 'cascade' }),
  seq: integer('seq').notNull(),
  data: bytea('data').notNull(),
}, (t) => [primaryKey({ name: 'import_files_pk', columns: [t.jobId, t.seq] })]);

// One row per committed chunk: the outcome of each of its data rows, as parallel arrays.
export const importResults = pgTable('import_results', {
  tenantId: text('tenant_id').notNull(),
  jobId: uuid('job_id').notNull().references(() => importJobs.id, { onDelete: 'cascade' }),
  firstRow: integer('first_row').notNull(),
  rowNos: integer('row_nos').array().notNull(),
  outcomes: text('outcomes').array().notNull(),
  customerIds: uuid('customer_ids').array().notNull(),
  details: text('details').array().notNull(),
}, (t) => [primaryKey({ name: 'import_results_pk', columns: [t.jobId, t.firstRow] })]);

export const importMappings = pgTable('import_mappings', {
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  headersKey: text('headers_key').notNull(),
  mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [primaryKey({ name: 'import_mappings_pk', columns: [t.tenantId, t.headersKey] })]);
// Issue 17 (0010): tracked links and behaviour points. A tenant's public key (the landing-page script
// names it) and the points each behaviour is worth.
export const trackingSettings = pgTable('tracking_settings', {
  tenantId: text('tenant_id').primaryKey().references(() => tenants.tenantId),
  publicKey: text('public_key').notNull(),
  points: jsonb('points').$type<Record<string, number>>().notNull().default({}),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('tracking_settings_public_key_uq').on(t.publicKey)]);

/** A short link for one campaign on one channel: /l/<code> redirects to landingUrl with its UTM parameters. */
export const trackedLinks = pgTable('tracked_links', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  code: text('code').notNull(),
  campaign: text('campaign').notNull(),
  channel: text('channel').notNull(),
  landingUrl: text('landing_url').notNull(),
  utm: jsonb('utm').$type<Record<string, string>>().notNull().default({}),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('tracked_links_code_uq').on(t.code),
  index('tracked_links_tenant_idx').on(t.tenantId, t.createdAt),
]);

/** One click: which link, which visitor, the referring host (no address, no user agent). */
export const linkClicks = pgTable('link_clicks', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  linkId: uuid('link_id').notNull().references(() => trackedLinks.id),
  visitorId: text('visitor_id').notNull(),
  referrerHost: text('referrer_host'),
  at: ts('at').notNull().defaultNow(),
}, (t) => [index('link_clicks_link_idx').on(t.tenantId, t.linkId, t.at)]);

/** A browser we know by its first-party visitor id; customer_id once it left a contact. */
export const trackingVisitors = pgTable('tracking_visitors', {
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  visitorId: text('visitor_id').notNull(),
  customerId: uuid('customer_id').references(() => customers.id),
  lastLinkId: uuid('last_link_id'),
  firstSeenAt: ts('first_seen_at').notNull().defaultNow(),
  lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
}, (t) => [
  primaryKey({ name: 'tracking_visitors_pk', columns: [t.tenantId, t.visitorId] }),
  index('tracking_visitors_customer_idx').on(t.tenantId, t.customerId).where(sql`customer_id is not null`),
]);

/** A behaviour a landing page reported, with the points it was worth then and the touchpoint it came through. */
export const behaviourEvents = pgTable('behaviour_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  visitorId: text('visitor_id').notNull(),
  kind: text('kind').notNull(),
  eventKey: text('event_key').notNull(),
  points: real('points').notNull(),
  linkId: uuid('link_id'),
  channel: text('channel').notNull().default(''),
  campaign: text('campaign').notNull().default(''),
  customerId: uuid('customer_id').references(() => customers.id),
  at: ts('at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('behaviour_events_uq').on(t.tenantId, t.visitorId, t.kind, t.eventKey),
  index('behaviour_events_customer_idx').on(t.tenantId, t.customerId).where(sql`customer_id is not null`),
]);

/** A won deal's credit to one touchpoint (channel x campaign), in proportion to its points. */
export const dealCredits = pgTable('deal_credits', {
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  channel: text('channel').notNull(),
  campaign: text('campaign').notNull(),
  points: real('points').notNull(),
  share: real('share').notNull(),
  amount: numeric('amount', { precision: 14, scale: 2 }),
  wonAt: ts('won_at').notNull(),
}, (t) => [
  primaryKey({ name: 'deal_credits_pk', columns: [t.tenantId, t.customerId, t.channel, t.campaign] }),
  index('deal_credits_won_idx').on(t.tenantId, t.wonAt),
]);

/** A JSON lead webhook (an ad platform, a web form): its field mapping is data; its secrets are sealed. */
export const intakeSources = pgTable('intake_sources', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  preset: text('preset').notNull(),
  mapping: jsonb('mapping').$type<Record<string, unknown>>().notNull(),
  secrets: text('secrets').notNull(),
  active: boolean('active').notNull().default(true),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('intake_sources_slug_uq').on(t.tenantId, t.slug)]);

/** Every lead a source pushed, raw (unknown fields included), and what it became. */
export const intakeDeliveries = pgTable('intake_deliveries', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  sourceId: uuid('source_id').notNull().references(() => intakeSources.id),
  externalId: text('external_id').notNull(),
  raw: jsonb('raw').$type<Record<string, unknown>>().notNull(),
  unknownFields: text('unknown_fields').array().notNull().default(sql`'{}'::text[]`),
  status: text('status', { enum: ['captured', 'uncaptured'] }).notNull(),
  customerId: uuid('customer_id'),
  leadId: uuid('lead_id'),
  receivedAt: ts('received_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('intake_deliveries_uq').on(t.tenantId, t.sourceId, t.externalId),
  index('intake_deliveries_time_idx').on(t.tenantId, t.sourceId, t.receivedAt),
  check('intake_deliveries_status_ck', sql`${t.status} in ('captured', 'uncaptured')`),
]);

/** A field a source sent that its mapping does not know: the admin's notice until the mapping learns it. */
export const intakeUnknownFields = pgTable('intake_unknown_fields', {
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  sourceId: uuid('source_id').notNull().references(() => intakeSources.id),
  field: text('field').notNull(),
  sample: text('sample'),
  seen: integer('seen').notNull().default(1),
  firstSeenAt: ts('first_seen_at').notNull().defaultNow(),
  lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
  resolvedAt: ts('resolved_at'),
}, (t) => [primaryKey({ name: 'intake_unknown_fields_pk', columns: [t.tenantId, t.sourceId, t.field] })]);
// Rollups behind the health metrics (0011_rollups.sql): written only by database triggers on interactions,
// customer_identities, leads, users and tenants, in the writing statement's transaction; the app only reads them.

/** Per customer and local month: a bit per local day of the month on which each role left a record. */
export const insightCollabMonths = pgTable('insight_collab_months', {
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  customerId: uuid('customer_id').notNull(),
  month: date('month', { mode: 'string' }).notNull(),
  repDays: integer('rep_days').notNull().default(0),
  managerDays: integer('manager_days').notNull().default(0),
  adminDays: integer('admin_days').notNull().default(0),
  roles: smallint('roles').notNull().generatedAlwaysAs(sql`((rep_days <> 0)::int + (manager_days <> 0)::int + (admin_days <> 0)::int)`),
}, (t) => [primaryKey({ name: 'insight_collab_months_pk', columns: [t.tenantId, t.month, t.customerId] })]);

/** Per customer: phone identities, product-naming messages, the last interaction. */
export const insightCustomerState = pgTable('insight_customer_state', {
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  customerId: uuid('customer_id').notNull(),
  phones: integer('phones').notNull().default(0),
  productMessages: integer('product_messages').notNull().default(0),
  lastInteractionAt: ts('last_interaction_at'),
}, (t) => [primaryKey({ name: 'insight_customer_state_pk', columns: [t.tenantId, t.customerId] })]);

/** Per lead: heard from in days 4-7 after creation; when its history first says won, lost. */
export const insightLeadState = pgTable('insight_lead_state', {
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  leadId: uuid('lead_id').primaryKey(),
  heard: boolean('heard').notNull().default(false),
  wonAt: timestamp('won_at', { withTimezone: true, mode: 'date' }),
  lostAt: timestamp('lost_at', { withTimezone: true, mode: 'date' }),
});

/** A heat cell's key (rep, local month, local hour) and counts: the heat rows and their deltas. */
const heatCell = () => ({
  tenantId: text('tenant_id').notNull().references(() => tenants.tenantId),
  assigneeId: uuid('assignee_id').notNull(),
  month: date('month', { mode: 'string' }).notNull(),
  hour: smallint('hour').notNull(),
  assigned: integer('assigned').notNull().default(0),
  created: integer('created').notNull().default(0),
});

/** Per rep, local month and local hour: leads assigned, leads created, and the created ones' response times (s). */
export const insightHeatMonths = pgTable('insight_heat_months', {
  ...heatCell(),
  responseSecs: doublePrecision('response_secs').array().notNull().default(sql`'{}'`),
}, (t) => [primaryKey({ name: 'insight_heat_months_pk', columns: [t.tenantId, t.month, t.assigneeId, t.hour] })]);

/**
 * What leads changed in the heat rows since the last fold, appended by the leads trigger (0012): a
 * message's transaction inserts here instead of updating its rep's hot heat row, which serialised
 * the inbox batches and deadlocked them. insight_heat_fold() moves these into insight_heat_months;
 * readers add what is not folded yet.
 */
export const insightHeatDeltas = pgTable('insight_heat_deltas', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  ...heatCell(),
  addedSecs: doublePrecision('added_secs').array().notNull().default(sql`'{}'`),
  removedSecs: doublePrecision('removed_secs').array().notNull().default(sql`'{}'`),
}, (t) => [index('insight_heat_deltas_month_idx').on(t.tenantId, t.month)]);
