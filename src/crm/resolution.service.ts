import { and, eq, sql } from 'drizzle-orm';
import { runPrepared, selectList, type Tx } from '../db/database.js';
import { customerIdentities, customers, interactions, leads, tasks, type FieldConflict } from '../db/schema.js';
import { createCustomer, customerCreateCtes, customerCreateParams, getCustomer, type CustomerRow, type Identity, type NewCustomer } from './customers.repo.js';
import { normalizeIdentity } from './identity.js';
import { recordAudit } from './audit.repo.js';
import { moveBehaviour } from './tracking/tracking.service.js';

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
 * When exactly one holds them (the usual case) the same statement also inserts the identities it
 * does not hold yet and hands them back in `added`; when none does, it creates the customer with
 * its identities and audit row (`created`); with several, nothing was written.
 * The statement is prepared once and runs on a generic plan, so its shape leaves the planner no
 * choice: each identity is one probe of the unique identity index and each holder one primary-key
 * probe (lateral + offset 0). Table statistics on a young table are stale, and any looser shape
 * got a plan that read every customer of the tenant (1.6 ms per message at 1,000 customers).
 * Holders are locked in id order, so two captures that lock the same customers cannot deadlock.
 * Identities already known are not written again (an upsert would write a new row version, WAL and
 * a dead tuple for every repeat); `known` says how many there were. An insert skipped on conflict
 * (added + known < identities) means a concurrent capture created that identity after our read.
 */
const LOCK_AND_INSERT = `with known as (
    select u.kind, u.value, ci.customer_id from unnest($2::text[], $3::text[]) as u(kind, value)
      cross join lateral (select customer_id from customer_identities where tenant_id = $1 and kind = u.kind and value = u.value offset 0) ci
  ), holders as (
    select c.* from (select distinct customer_id as id from known order by 1) k
      cross join lateral (select * from customers where id = k.id offset 0) c
    where c.tenant_id = $1 and c.merged_into is null
    order by c.created_at, c.id
    for update of c
  ), sole as (
    select id from holders where (select count(*) from holders) = 1
  ), ins as (
    insert into customer_identities (tenant_id, customer_id, kind, value)
    select $1, sole.id, u.kind, u.value from sole, unnest($2::text[], $3::text[]) with ordinality as u(kind, value, n)
    where not exists (select 1 from known k where k.kind = u.kind and k.value = u.value)
    order by u.n
    on conflict (tenant_id, kind, value) do nothing
    returning kind, value
  ), ${customerCreateCtes('not exists (select 1 from holders)')}
  select ${selectList(customers, 'h')}, (select coalesce(json_agg(ins), '[]'::json) from ins) as added,
    (select count(*) from known)::int as known, false as created
  from holders h
  union all
  select ${selectList(customers, 'c')}, '[]'::json, 0, true from created c
  order by "createdAt", "id"`;

type Holder = CustomerRow & { added: Identity[]; known: number; created: boolean };

async function lockHolders(tx: Tx, tenantId: string, idents: Identity[], create: NewCustomer, actor: string): Promise<{ holders: CustomerRow[]; created: CustomerRow | null; added: Identity[]; complete: boolean }> {
  const rows = await runPrepared<Holder>(tx, 'kelu_resolve_lock_insert', LOCK_AND_INSERT, customerCreateParams(tenantId, create, idents, actor));
  const strip = ({ added: _a, known: _k, created: _c, ...row }: Holder): CustomerRow => row;
  if (rows.length === 1 && rows[0]!.created) return { holders: [], created: strip(rows[0]!), added: [], complete: true };
  const added = rows.length === 1 ? rows[0]!.added : [];
  const complete = rows.length !== 1 || added.length + rows[0]!.known === idents.length;
  return { holders: rows.map(strip), created: null, added, complete };
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
  // The customer to create when nobody holds these identities.
  const create: NewCustomer = {
    name: input.profile.name ?? null, title: input.profile.title ?? null, company: input.profile.company ?? null, region: input.profile.region ?? null,
    ownerId: input.ownerId ?? null, sourceChannel: input.sourceChannel ?? null, utm: input.utm ?? {},
  };
  if (idents.length === 0) {
    const c = await createCustomer(tx, tenantId, { ...create, identities: [] }, input.actor);
    return { customer: c, created: true, mergedIds: [], addedIdentities: [], filledFields: [], conflicts: [] };
  }
  const { holders: locked, created, added, complete } = await lockHolders(tx, tenantId, idents, create, input.actor);
  if (created) {
    return { customer: Object.assign(created, { identities: idents }), created: true, mergedIds: [], addedIdentities: [], filledFields: [], conflicts: [] };
  }

  const others = locked.slice(1);
  let primary = locked[0];
  const mergedIds: string[] = [];
  for (const other of others) {
    await mergeCustomer(tx, tenantId, primary!, other, input.actor);
    mergedIds.push(other.id);
  }
  if (mergedIds.length) [primary] = await tx.select().from(customers).where(eq(customers.id, primary!.id));

  // One holder: lockHolders already inserted what was new. Several (now merged): upsert so every
  // row comes back. Either way, an identity another customer took after our read means a
  // concurrent capture created it: retry, and the retry merges.
  const conflict = () => Object.assign(new Error('an identity was claimed by a concurrent capture; retrying'), { retryable: true });
  let addedIdentities: Identity[];
  if (locked.length === 1) {
    // Rare: an insert was skipped because a concurrent capture wrote that identity after our read.
    // Fine if it went to this customer; another customer's means the retry must merge.
    if (!complete) {
      const [{ foreign }] = await runPrepared<{ foreign: number }>(tx, 'kelu_resolve_foreign_identities', `
        select count(*)::int as foreign from customer_identities ci join unnest($2::text[], $3::text[]) as u(kind, value)
          on ci.kind = u.kind and ci.value = u.value
        where ci.tenant_id = $1 and ci.customer_id <> $4::uuid`, [tenantId, idents.map((i) => i.kind), idents.map((i) => i.value), primary!.id]) as [{ foreign: number }];
      if (foreign > 0) throw conflict();
    }
    addedIdentities = added;
  } else {
    const rows = await tx
      .insert(customerIdentities)
      .values(idents.map((i) => ({ tenantId, customerId: primary!.id, kind: i.kind, value: i.value })))
      .onConflictDoUpdate({ target: [customerIdentities.tenantId, customerIdentities.kind, customerIdentities.value], set: { customerId: sql`${customerIdentities.customerId}` } })
      .returning({ kind: customerIdentities.kind, value: customerIdentities.value, customerId: customerIdentities.customerId, inserted: sql<boolean>`(xmax = 0)` });
    if (rows.some((r) => r.customerId !== primary!.id)) throw conflict();
    addedIdentities = rows.filter((r) => r.inserted).map((r) => ({ kind: r.kind, value: r.value }));
  }

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

/** Empty fields are filled; differing values become conflicts; hand-edited fields stay as they are. Imports fold rows through it too (batch-resolve.ts). */
export function reconcile(c: CustomerRow, observed: Profile[], now: Date) {
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

export function mergeConflicts(existing: FieldConflict[], added: FieldConflict[]): FieldConflict[] {
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
  await moveBehaviour(tx, tenantId, other.id, primary.id, new Date());
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
