import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { customerIdentities, customers, interactions, leads, tasks, type FieldConflict } from '../db/schema.js';
import { createCustomer, findCustomersByIdentities, getCustomer, type Customer, type CustomerRow, type Identity } from './customers.repo.js';
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
  customer: Customer;
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
 * Finds the customer behind these identities, merging several into the oldest, or creates one.
 * Disagreeing fields are kept as conflicts on the customer, never silently overwritten.
 */
export async function resolveCustomer(tx: Tx, tenantId: string, input: ResolveInput): Promise<ResolveResult> {
  const now = input.now ?? new Date();
  const idents = normalizeAll(input.identities);
  const matches = await findCustomersByIdentities(tx, tenantId, idents);
  if (matches.length === 0) {
    const c = await createCustomer(tx, tenantId, {
      name: input.profile.name ?? null,
      title: input.profile.title ?? null,
      company: input.profile.company ?? null,
      ownerId: input.ownerId ?? null,
      sourceChannel: input.sourceChannel ?? null,
      utm: input.utm ?? {},
      identities: idents,
    }, input.actor);
    if (input.profile.region) await tx.update(customers).set({ region: input.profile.region }).where(eq(customers.id, c.id));
    return { customer: { ...c, region: input.profile.region ?? null }, created: true, mergedIds: [], addedIdentities: [], filledFields: [], conflicts: [] };
  }

  // Lock the matched rows so a concurrent resolution of the same person waits for this one.
  const ids = matches.map((m) => m.id);
  const locked = await tx.select().from(customers).where(and(eq(customers.tenantId, tenantId), inArray(customers.id, ids))).orderBy(customers.createdAt).for('update');
  const [primary, ...others] = locked;
  const mergedIds: string[] = [];
  for (const other of others) {
    await mergeCustomer(tx, tenantId, primary!, other, input.actor);
    mergedIds.push(other.id);
  }

  const fresh = (await getCustomer(tx, tenantId, primary!.id))!;
  const held = new Set(fresh.identities.map((i) => `${i.kind}\u0000${i.value}`));
  const addedIdentities: Identity[] = [];
  for (const i of idents) {
    if (held.has(`${i.kind}\u0000${i.value}`)) continue;
    await tx.insert(customerIdentities).values({ tenantId, customerId: fresh.id, kind: i.kind, value: i.value });
    addedIdentities.push(i);
  }

  // Values from merged customers count as observations too.
  const observed: Profile[] = [input.profile, ...others.map((o) => ({ name: o.name, title: o.title, company: o.company, region: o.region }))];
  const { patch, filled, conflicts } = reconcile(fresh, observed, now);
  const ownerPatch = !fresh.ownerId && input.ownerId ? { ownerId: input.ownerId } : {};
  if (Object.keys(patch).length || conflicts.length || Object.keys(ownerPatch).length) {
    await tx
      .update(customers)
      .set({ ...patch, ...ownerPatch, conflicts: mergeConflicts(fresh.conflicts, conflicts), updatedAt: now })
      .where(and(eq(customers.tenantId, tenantId), eq(customers.id, fresh.id)));
    await recordAudit(tx, tenantId, { actor: input.actor, action: 'customer.enrich', entityType: 'customer', entityId: fresh.id, before: pick(fresh, filled), after: { ...patch, ...ownerPatch, conflicts } });
  }
  const customer = (await getCustomer(tx, tenantId, fresh.id))!;
  return { customer, created: false, mergedIds, addedIdentities, filledFields: filled, conflicts };
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
