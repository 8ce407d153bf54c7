import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { runPrepared, selectList, type Tx } from '../../db/database.js';
import { customers, type FieldConflict } from '../../db/schema.js';
import type { CustomerRow, Identity } from '../customers.repo.js';
import { mergeConflicts, reconcile, resolveCustomer, PROFILE_FIELDS } from '../resolution.service.js';
import { recordAudit } from '../audit.repo.js';
import type { ParsedRow } from './row.js';
import { pgArray } from './imports.repo.js';

/**
 * Imported rows through the same identity resolution as chat capture, two ways that must agree:
 * one by one (resolveCustomer per row, as capture does), or batched: the chunk's identities looked
 * up and their customers locked in one statement, the rows folded over them in memory with the same
 * reconcile() that resolution uses, then new customers, new identities and changed customers written
 * with one statement each. A chunk in which some row names identities of two customers (a merge)
 * goes the one-by-one way, so merges are exactly capture's.
 */
export const IMPORT_SOURCE = '表格导入';

export interface ResolvedRow {
  rowNo: number;
  outcome: 'created' | 'merged' | 'unchanged';
  customerId: string;
  conflicts: boolean;
  customersMerged: number;
}

export interface ImportRowInput {
  rowNo: number;
  row: ParsedRow;
}

/** Tags join; a custom value fills an absent key, and a different value for a present key is a conflict. */
export function foldExtras(c: Pick<CustomerRow, 'tags' | 'customFields'>, tags: string[], custom: Record<string, string>, now: Date) {
  const newTags = tags.filter((t) => !c.tags.includes(t));
  const patch: Record<string, string> = {};
  const conflicts: FieldConflict[] = [];
  for (const [k, v] of Object.entries(custom)) {
    const cur = c.customFields[k];
    if (cur === undefined || cur === null || cur === '') patch[k] = v;
    else if (String(cur) !== v) conflicts.push({ field: `custom:${k}`, values: [String(cur), v], at: now.toISOString() });
  }
  return { newTags, patch, conflicts, changed: newTags.length > 0 || Object.keys(patch).length > 0 || conflicts.length > 0 };
}

/** One by one, through resolveCustomer: the reference the batched path is tested against. */
export async function resolveRowsOneByOne(tx: Tx, tenantId: string, rows: ImportRowInput[], actor: string, now: Date): Promise<ResolvedRow[]> {
  const out: ResolvedRow[] = [];
  for (const { rowNo, row } of rows) {
    const r = await resolveCustomer(tx, tenantId, { identities: row.identities, profile: row.profile, ownerId: null, sourceChannel: IMPORT_SOURCE, actor, now });
    const extras = foldExtras(r.customer, row.tags, row.custom, now);
    if (extras.changed) {
      await tx.update(customers).set({
        tags: [...r.customer.tags, ...extras.newTags],
        customFields: { ...r.customer.customFields, ...extras.patch },
        conflicts: mergeConflicts(r.customer.conflicts, extras.conflicts),
        updatedAt: now,
      }).where(and(eq(customers.tenantId, tenantId), eq(customers.id, r.customer.id)));
    }
    const conflicts = r.conflicts.length > 0 || extras.conflicts.length > 0;
    const changed = r.addedIdentities.length > 0 || r.filledFields.length > 0 || r.mergedIds.length > 0 || conflicts || extras.changed;
    out.push({ rowNo, outcome: r.created ? 'created' : changed ? 'merged' : 'unchanged', customerId: r.customer.id, conflicts, customersMerged: r.mergedIds.length });
  }
  return out;
}

interface Virtual {
  row: CustomerRow;
  isNew: boolean;
  dirty: boolean;
  newIdentities: Identity[];
}

const key = (i: Identity) => `${i.kind}\u0000${i.value}`;

const LOOKUP = `with u as (select * from unnest($2::text[], $3::text[]) as u(kind, value)),
  held as (select ci.kind, ci.value, ci.customer_id from u join customer_identities ci on ci.tenant_id = $1 and ci.kind = u.kind and ci.value = u.value),
  locked as (select ${selectList(customers, 'c')} from customers c where c.tenant_id = $1 and c.id in (select customer_id from held) order by c.id for update)
  select json_build_object('held', (select coalesce(json_agg(held), '[]') from held), 'customers', (select coalesce(json_agg(locked), '[]') from locked)) as r`;

const INSERT_CUSTOMERS = `insert into customers (id, tenant_id, name, company, title, region, tags, source_channel, custom_fields, conflicts, created_at, updated_at)
  select u.id, $1, u.name, u.company, u.title, u.region, u.tags::text[], $8, u.custom, u.conflicts, $9::timestamptz, $9::timestamptz
  from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $10::jsonb[], $11::jsonb[]) as u(id, name, company, title, region, tags, custom, conflicts)`;

const INSERT_IDENTITIES = `insert into customer_identities (tenant_id, customer_id, kind, value)
  select $1, u.customer_id, u.kind, u.value from unnest($2::uuid[], $3::text[], $4::text[]) as u(customer_id, kind, value)
  on conflict (tenant_id, kind, value) do nothing`;

const UPDATE_CUSTOMERS = `update customers c set name = u.name, company = u.company, title = u.title, region = u.region,
    tags = u.tags::text[], custom_fields = u.custom, conflicts = u.conflicts, updated_at = $9::timestamptz
  from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $10::jsonb[]) as u(id, name, company, title, region, tags, custom, conflicts)
  where c.tenant_id = $1 and c.id = u.id`;

/** Batched; falls back to one by one for a chunk holding a merge. Same results, same customers. */
export async function resolveRowsBatched(tx: Tx, tenantId: string, rows: ImportRowInput[], actor: string, now: Date): Promise<ResolvedRow[]> {
  if (rows.length === 0) return [];
  const all = new Map<string, Identity>();
  for (const { row } of rows) for (const i of row.identities) all.set(key(i), i);
  const idents = [...all.values()];
  const [{ r }] = await runPrepared<{ r: { held: { kind: string; value: string; customer_id: string }[]; customers: Record<string, unknown>[] } }>(
    tx, 'kelu_import_lookup', LOOKUP, [tenantId, idents.map((i) => i.kind), idents.map((i) => i.value)],
  ) as [{ r: { held: { kind: string; value: string; customer_id: string }[]; customers: Record<string, unknown>[] } }];

  const holderOf = new Map<string, string>();
  for (const h of r.held) holderOf.set(`${h.kind}\u0000${h.value}`, h.customer_id);
  const state = new Map<string, Virtual>();
  for (const c of r.customers) {
    const row = { ...c, createdAt: new Date(c.createdAt as string), updatedAt: new Date(c.updatedAt as string) } as CustomerRow;
    state.set(row.id, { row, isNew: false, dirty: false, newIdentities: [] });
  }

  const results: ResolvedRow[] = [];
  for (const { rowNo, row } of rows) {
    const holders = [...new Set(row.identities.map((i) => holderOf.get(key(i))).filter((h): h is string => !!h))];
    if (holders.length > 1) return resolveRowsOneByOne(tx, tenantId, rows, actor, now);
    if (holders.length === 0) {
      const id = randomUUID();
      const base: CustomerRow = {
        id, tenantId, name: row.profile.name ?? null, company: row.profile.company ?? null, title: row.profile.title ?? null, region: row.profile.region ?? null,
        tags: [], ownerId: null, sourceChannel: IMPORT_SOURCE, utm: {}, stage: 'new', score: 0, customFields: {}, manualFields: [], conflicts: [], mergedInto: null,
        createdAt: now, updatedAt: now,
      };
      const extras = foldExtras(base, row.tags, row.custom, now);
      base.tags = extras.newTags;
      base.customFields = extras.patch;
      state.set(id, { row: base, isNew: true, dirty: true, newIdentities: [...row.identities] });
      for (const i of row.identities) holderOf.set(key(i), id);
      results.push({ rowNo, outcome: 'created', customerId: id, conflicts: false, customersMerged: 0 });
      continue;
    }
    const v = state.get(holders[0]!)!;
    const added = row.identities.filter((i) => !holderOf.has(key(i)));
    for (const i of added) holderOf.set(key(i), v.row.id);
    v.newIdentities.push(...added);
    const { patch, filled, conflicts } = reconcile(v.row, [row.profile], now);
    const extras = foldExtras(v.row, row.tags, row.custom, now);
    const allConflicts = [...conflicts, ...extras.conflicts];
    const changed = added.length > 0 || filled.length > 0 || allConflicts.length > 0 || extras.changed;
    if (Object.keys(patch).length || allConflicts.length || extras.changed) {
      v.row = {
        ...v.row, ...patch,
        tags: [...v.row.tags, ...extras.newTags],
        customFields: { ...v.row.customFields, ...extras.patch },
        conflicts: mergeConflicts(v.row.conflicts, allConflicts),
        updatedAt: now,
      };
      v.dirty = true;
    }
    results.push({ rowNo, outcome: changed ? 'merged' : 'unchanged', customerId: v.row.id, conflicts: allConflicts.length > 0, customersMerged: 0 });
  }

  const made = [...state.values()].filter((v) => v.isNew);
  const changed = [...state.values()].filter((v) => !v.isNew && v.dirty);
  const cols = (list: Virtual[]) => [
    list.map((v) => v.row.id), ...PROFILE_FIELDS.map((f) => list.map((v) => v.row[f])),
    list.map((v) => pgArray(v.row.tags)), list.map((v) => JSON.stringify(v.row.customFields)),
  ];
  if (made.length) {
    const [ids, name, title, company, region, tags, custom] = cols(made);
    await runPrepared(tx, 'kelu_import_insert_customers', INSERT_CUSTOMERS, [tenantId, ids, name, company, title, region, tags, IMPORT_SOURCE, now.toISOString(), custom, made.map((v) => JSON.stringify(v.row.conflicts))]);
  }
  if (changed.length) {
    const [ids, name, title, company, region, tags, custom] = cols(changed);
    await runPrepared(tx, 'kelu_import_update_customers', UPDATE_CUSTOMERS, [tenantId, ids, name, company, title, region, tags, custom, now.toISOString(), changed.map((v) => JSON.stringify(v.row.conflicts))]);
  }
  const newIds = [...state.values()].flatMap((v) => v.newIdentities.map((i) => ({ ...i, customerId: v.row.id })));
  if (newIds.length) {
    const res = await runPrepared(tx, 'kelu_import_insert_identities', `${INSERT_IDENTITIES} returning 1`, [tenantId, newIds.map((i) => i.customerId), newIds.map((i) => i.kind), newIds.map((i) => i.value)]);
    // An identity a concurrent capture wrote after our lookup: retry the chunk (it then resolves to that customer).
    if (res.length !== newIds.length) throw Object.assign(new Error('an identity was claimed by a concurrent capture; retrying'), { retryable: true });
  }
  if (made.length || changed.length) {
    await recordAudit(tx, tenantId, {
      actor, action: 'customer.import', entityType: 'customer', entityId: made[0]?.row.id ?? changed[0]!.row.id,
      after: { created: made.map((v) => v.row.id), enriched: changed.map((v) => v.row.id) },
    });
  }
  return results;
}
