import { and, eq, sql } from 'drizzle-orm';
import { runPrepared, selectList, type Tx } from '../db/database.js';
import { customerIdentities, customers, interactions, leads, tasks, type FieldConflict } from '../db/schema.js';
import { createCustomer, getCustomer, type CustomerRow, type Identity } from './customers.repo.js';
import { normalizeIdentity } from './identity.js';
import { recordAudit } from './audit.repo.js';

/** Profile fields extraction may fill; a field a person edited by hand is never overwritten. */
export const PROFILE_FIELDS = ['name', 'title', 'company', 'region'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
export type Profile = Partial<Record<ProfileField, string | null>>;

export interface ResolveInput {
  identities: Identity[];
  profile: Profile;
  ownerId?: string | null;
  sourceChannel?: string | null;
  utm?: Record<string, string>;
  actor: string;
  now?: Date;
}

export interface ResolveResult {
  customer: CustomerRow;
  created: boolean;
  /** Customers merged into this one by this resolution. */
  mergedIds: string[];
  /** Identities this resolution added to an existing customer. */
  addedIdentities: Identity[];
  /** Fields this resolution filled on an existing customer (with the previous empty value). */
  filledFields: ProfileField[];
  conflicts: FieldConflict[];
}

function normalizeAll(list: Identity[]): Identity[] {
  const seen = new Set<string>();
  const out: Identity[] = [];
  for (const i of list) {
    let value: string;
    try {
      value = normalizeIdentity(i.kind, i.value);
    } catch {
      continue; // an identity we cannot normalize cannot identify anyone
    }
    const key = `${i.kind}\u0000${value}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ kind: i.kind, value });
    }
  }
  return out;
}

/**
 * The live customers holding any of these identities, oldest first, locked for this transaction.
 * When exactly one holds them (the usual case) the same statement also upserts every identity onto
 * it and hands the upserted rows back in `upserted`; otherwise `upserted` is empty and nothing was written.
 * id = any(array(...)): the identity index is read first and customers by primary key, whatever
 * the table statistics say (a fresh table's stale estimates otherwise pick a scan of all customers).
 * Upserting returns every row: new ones (xmax = 0) are this message's additions; one held by
 * another customer means a concurrent capture created it after our lock.
 */
const LOCK_AND_UPSERT = `with holders as (
    select * from customers
    where tenant_id = $1 and merged_into is null and id = any(array(
      select ci.customer_id from customer_identities ci join unnest($2::text[], $3::text[]) as u(kind, value)
        on ci.kind = u.kind and ci.value = u.value
      where ci.tenant_id = $1))
    order by created_at, id
    for update
  ), sole as (
    select id from holders where (select count(*) from holders) = 1
  ), ins as (
    insert into customer_identities (tenant_id, customer_id, kind, value)
    select $1, sole.id, u.kind, u.value from sole, unnest($2::text[], $3::text[]) with ordinality as u(kind, value, n) order by u.n
    on conflict (tenant_id, kind, value) do update set customer_id = customer_identities.customer_id
    returning kind, value, customer_id as "customerId", (xmax = 0) as inserted
  )
  select ${selectList(customers, 'h')}, (select coalesce(json_agg(ins), '[]'::json) from ins) as upserted
  from holders h order by h.created_at, h.id`;

type Upserted = { kind: Identity['kind']; value: string; customerId: string; inserted: boolean };

async function lockHolders(tx: Tx, tenantId: string, idents: Identity[]): Promise<{ holders: CustomerRow[]; upserted: Upserted[] }> {
  if (idents.length === 0) return { holders: [], upserted: [] };
  const rows = await runPrepared<CustomerRow & { upserted: Upserted[] }>(tx, 'kelu_resolve_lock_upsert', LOCK_AND_UPSERT, [tenantId, idents.map((i) => i.kind), idents.map((i) => i.value)]);
  const upserted = rows.length === 1 ? rows[0]!.upserted : [];
  return { holders: rows.map(({ upserted: _u, ...c }) => c), upserted };
}

/**
 * Finds the customer behind these identities, merging several into the oldest, or creates one.
 * Disagreeing fields are kept as conflicts on the customer, never silently overwritten.
 * Identity writes rely on the unique index: two transactions racing on a new identity cannot both
 * win, and the loser is retried by its queue and then finds the winner's customer.
 */
export async function resolveCustomer(tx: Tx, tenantId: string, input: ResolveInput): Promise<ResolveResult> {
  const now = input.now ?? new Date();
  const idents = normalizeAll(input.identities);
  const { holders: locked, upserted } = await lockHolders(tx, tenantId, idents);
  if (locked.length === 0) {
    const c = await createCustomer(tx, tenantId, {
      name: input.profile.name ?? null,
      title: input.profile.title ?? null,
      company: input.profile.company ?? null,
      region: input.profile.region ?? null,
      ownerId: input.ownerId ?? null,
      sourceChannel: input.sourceChannel ?? null,
      utm: input.utm ?? {},
      identities: idents,
    }, input.actor);
    return { customer: c, created: true, mergedIds: [], addedIdentities: [], filledFields: [], conflicts: [] };
  }

  const others = locked.slice(1);
  let primary = locked[0];
  const mergedIds: string[] = [];
  for (const other of others) {
    await mergeCustomer(tx, tenantId, primary!, other, input.actor);
    mergedIds.push(other.id);
  }
  if (mergedIds.length) [primary] = await tx.select().from(customers).where(eq(customers.id, primary!.id));

  // One holder: lockHolders already upserted. Several (now merged): upsert so every row comes back;
  // one held by another customer means a concurrent capture created it after our lock, so retry and merge.
  const rows = locked.length === 1
    ? upserted
    : idents.length
    ? await tx
        .insert(customerIdentities)
        .values(idents.map((i) => ({ tenantId, customerId: primary!.id, kind: i.kind, value: i.value })))
        .onConflictDoUpdate({ target: [customerIdentities.tenantId, customerIdentities.kind, customerIdentities.value], set: { customerId: sql`${customerIdentities.customerId}` } })
        .returning({ kind: customerIdentities.kind, value: customerIdentities.value, customerId: customerIdentities.customerId, inserted: sql<boolean>`(xmax = 0)` })
    : [];
  if (rows.some((r) => r.customerId !== primary!.id)) {
    throw Object.assign(new Error('an identity was claimed by a concurrent capture; retrying'), { retryable: true });
  }
  const addedIdentities: Identity[] = rows.filter((r) => r.inserted).map((r) => ({ kind: r.kind, value: r.value }));

  // Values from merged customers count as observations too.
  const observed: Profile[] = [input.profile, ...others.map((o) => ({ name: o.name, title: o.title, company: o.company, region: o.region }))];
  const { patch, filled, conflicts } = reconcile(primary!, observed, now);
  const ownerPatch = !primary!.ownerId && input.ownerId ? { ownerId: input.ownerId } : {};
  let customer = primary!;
  if (Object.keys(patch).length || conflicts.length || Object.keys(ownerPatch).length) {
    [customer] = await tx
      .update(customers)
      .set({ ...patch, ...ownerPatch, conflicts: mergeConflicts(primary!.conflicts, conflicts), updatedAt: now })
      .where(and(eq(customers.tenantId, tenantId), eq(customers.id, primary!.id)))
      .returning();
    await recordAudit(tx, tenantId, { actor: input.actor, action: 'customer.enrich', entityType: 'customer', entityId: primary!.id, before: pick(primary!, filled), after: { ...patch, ...ownerPatch, conflicts } });
  }
  return { customer: customer!, created: false, mergedIds, addedIdentities, filledFields: filled, conflicts };
}

function pick(c: CustomerRow, fields: ProfileField[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, c[f]]));
}

/** Empty fields are filled; differing values become conflicts; hand-edited fields stay as they are. */
function reconcile(c: CustomerRow, observed: Profile[], now: Date) {
  const patch: Partial<Record<ProfileField, string>> = {};
  const filled: ProfileField[] = [];
  const conflicts: FieldConflict[] = [];
  for (const f of PROFILE_FIELDS) {
    const values = [...new Set(observed.map((o) => o[f]).filter((v): v is string => !!v && v.trim() !== ''))];
    if (values.length === 0) continue;
    const current = c[f];
    if (!current) {
      if (c.manualFields.includes(f)) continue;
      patch[f] = values[0]!;
      filled.push(f);
      if (values.length > 1) conflicts.push({ field: f, values, at: now.toISOString() });
    } else {
      const differing = values.filter((v) => v !== current);
      if (differing.length) conflicts.push({ field: f, values: [current, ...differing], at: now.toISOString() });
    }
  }
  return { patch, filled, conflicts };
}

function mergeConflicts(existing: FieldConflict[], added: FieldConflict[]): FieldConflict[] {
  const out = [...existing];
  for (const a of added) {
    const same = out.find((e) => e.field === a.field);
    if (same) same.values = [...new Set([...same.values, ...a.values])];
    else out.push(a);
  }
  return out;
}

/**
 * Moves everything of `other` onto `primary` and marks it merged. The audit row keeps what each
 * side held, so a person can explain the merge and undo it by hand.
 */
export async function mergeCustomer(tx: Tx, tenantId: string, primary: CustomerRow, other: CustomerRow, actor: string): Promise<void> {
  const otherFull = await getCustomer(tx, tenantId, other.id);
  const primaryFull = await getCustomer(tx, tenantId, primary.id);
  const moved = {
    identities: otherFull?.identities ?? [],
    interactions: (await tx.select({ id: interactions.id }).from(interactions).where(and(eq(interactions.tenantId, tenantId), eq(interactions.customerId, other.id)))).map((r) => r.id),
    leads: (await tx.select({ id: leads.id }).from(leads).where(and(eq(leads.tenantId, tenantId), eq(leads.customerId, other.id)))).map((r) => r.id),
    tasks: (await tx.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.tenantId, tenantId), eq(tasks.customerId, other.id)))).map((r) => r.id),
  };
  await tx.update(customerIdentities).set({ customerId: primary.id }).where(and(eq(customerIdentities.tenantId, tenantId), eq(customerIdentities.customerId, other.id)));
  await tx.update(interactions).set({ customerId: primary.id }).where(and(eq(interactions.tenantId, tenantId), eq(interactions.customerId, other.id)));
  await tx.update(leads).set({ customerId: primary.id }).where(and(eq(leads.tenantId, tenantId), eq(leads.customerId, other.id)));
  await tx.update(tasks).set({ customerId: primary.id }).where(and(eq(tasks.tenantId, tenantId), eq(tasks.customerId, other.id)));
  const tags = [...new Set([...primary.tags, ...other.tags])];
  await tx.update(customers).set({ tags, updatedAt: new Date() }).where(and(eq(customers.tenantId, tenantId), eq(customers.id, primary.id)));
  await tx.update(customers).set({ mergedInto: primary.id, updatedAt: new Date() }).where(and(eq(customers.tenantId, tenantId), eq(customers.id, other.id)));
  await recordAudit(tx, tenantId, {
    actor,
    action: 'customer.merge',
    entityType: 'customer',
    entityId: primary.id,
    before: { primary: primaryFull, merged: otherFull },
    after: { mergedInto: primary.id, moved },
  });
}
