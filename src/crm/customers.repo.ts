import { and, arrayContains, eq, ilike, inArray, isNull, or, sql, exists } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { customerIdentities, customers, type IdentityKind } from '../db/schema.js';
import { afterCursor, newestFirst, toPage, type Page, type PageRequest } from './pagination.js';
import { normalizeIdentity } from './identity.js';
import { recordAudit } from './audit.repo.js';

export type CustomerRow = typeof customers.$inferSelect;
export interface Identity {
  kind: IdentityKind;
  value: string;
}
export interface Customer extends CustomerRow {
  identities: Identity[];
}

export interface CustomerFilter {
  q?: string;
  ownerId?: string;
  tag?: string;
  stage?: string;
}

export interface NewCustomer {
  region?: string | null;
  name?: string | null;
  company?: string | null;
  title?: string | null;
  tags?: string[];
  ownerId?: string | null;
  sourceChannel?: string | null;
  utm?: Record<string, string>;
  stage?: string;
  customFields?: Record<string, unknown>;
  identities?: Identity[];
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listCustomers(tx: Tx, tenantId: string, f: CustomerFilter, page: PageRequest): Promise<Page<Customer>> {
  const conds = [eq(customers.tenantId, tenantId), isNull(customers.mergedInto)];
  if (f.ownerId) conds.push(eq(customers.ownerId, f.ownerId));
  if (f.stage) conds.push(eq(customers.stage, f.stage));
  if (f.tag) conds.push(arrayContains(customers.tags, [f.tag]));
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    conds.push(
      or(
        ilike(customers.name, like),
        ilike(customers.company, like),
        exists(
          tx.select({ one: sql`1` }).from(customerIdentities).where(
            and(eq(customerIdentities.tenantId, tenantId), eq(customerIdentities.customerId, customers.id), ilike(customerIdentities.value, like)),
          ),
        ),
      )!,
    );
  }
  const cursorCond = afterCursor(customers.createdAt, customers.id, page.cursor);
  if (cursorCond) conds.push(cursorCond);
  const rows = await tx.select().from(customers).where(and(...conds)).orderBy(...newestFirst(customers.createdAt, customers.id)).limit(page.limit + 1);
  const p = toPage(rows, page.limit);
  return { items: await withIdentities(tx, tenantId, p.items), nextCursor: p.nextCursor };
}

export async function withIdentities(tx: Tx, tenantId: string, rows: CustomerRow[]): Promise<Customer[]> {
  if (rows.length === 0) return [];
  const ids = await tx
    .select({ customerId: customerIdentities.customerId, kind: customerIdentities.kind, value: customerIdentities.value })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.tenantId, tenantId), inArray(customerIdentities.customerId, rows.map((r) => r.id))))
    .orderBy(customerIdentities.createdAt);
  const by = new Map<string, Identity[]>();
  for (const i of ids) {
    const list = by.get(i.customerId) ?? [];
    list.push({ kind: i.kind, value: i.value });
    by.set(i.customerId, list);
  }
  return rows.map((r) => ({ ...r, identities: by.get(r.id) ?? [] }));
}

export async function getCustomer(tx: Tx, tenantId: string, id: string): Promise<Customer | null> {
  const [row] = await tx.select().from(customers).where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)));
  if (!row) return null;
  const [c] = await withIdentities(tx, tenantId, [row]);
  return c ?? null;
}

/** Customers (not merged away) holding any of these identities. */
export async function findCustomersByIdentities(tx: Tx, tenantId: string, idents: Identity[]): Promise<CustomerRow[]> {
  if (idents.length === 0) return [];
  const ors = idents.map((i) => and(eq(customerIdentities.kind, i.kind), eq(customerIdentities.value, i.value)));
  const matched = await tx
    .selectDistinct({ customerId: customerIdentities.customerId })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.tenantId, tenantId), or(...ors)));
  if (matched.length === 0) return [];
  return tx
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, matched.map((m) => m.customerId)), isNull(customers.mergedInto)))
    .orderBy(customers.createdAt);
}

export async function createCustomer(tx: Tx, tenantId: string, c: NewCustomer, actor: string): Promise<Customer> {
  const [row] = await tx
    .insert(customers)
    .values({
      tenantId,
      name: c.name ?? null,
      company: c.company ?? null,
      title: c.title ?? null,
      tags: c.tags ?? [],
      ownerId: c.ownerId ?? null,
      sourceChannel: c.sourceChannel ?? null,
      utm: c.utm ?? {},
      stage: c.stage ?? 'new',
      customFields: c.customFields ?? {},
      region: c.region ?? null,
    })
    .returning();
  const identities: Identity[] = (c.identities ?? []).map((i) => ({ kind: i.kind, value: normalizeIdentity(i.kind, i.value) }));
  if (identities.length) await tx.insert(customerIdentities).values(identities.map((i) => ({ tenantId, customerId: row!.id, ...i })));
  await recordAudit(tx, tenantId, { actor, action: 'customer.create', entityType: 'customer', entityId: row!.id, after: { ...row, identities } });
  return { ...row!, identities };
}

/** Adds an identity; returns false when this customer already holds it. Throws on the unique index when another does. */
export async function addIdentity(tx: Tx, tenantId: string, customerId: string, i: Identity): Promise<boolean> {
  const value = normalizeIdentity(i.kind, i.value);
  const [existing] = await tx
    .select()
    .from(customerIdentities)
    .where(and(eq(customerIdentities.tenantId, tenantId), eq(customerIdentities.kind, i.kind), eq(customerIdentities.value, value)));
  if (existing) {
    if (existing.customerId === customerId) return false;
    throw Object.assign(new Error('identity belongs to another customer'), { code: 'identity_taken', customerId: existing.customerId });
  }
  await tx.insert(customerIdentities).values({ tenantId, customerId, kind: i.kind, value });
  return true;
}

export async function updateCustomer(
  tx: Tx,
  tenantId: string,
  id: string,
  patch: Partial<Pick<CustomerRow, 'name' | 'company' | 'title' | 'tags' | 'ownerId' | 'stage' | 'score' | 'customFields' | 'manualFields' | 'conflicts' | 'mergedInto'>>,
  actor: string,
): Promise<CustomerRow | null> {
  const [before] = await tx.select().from(customers).where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)));
  if (!before) return null;
  const [after] = await tx
    .update(customers)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, id)))
    .returning();
  await recordAudit(tx, tenantId, { actor, action: 'customer.update', entityType: 'customer', entityId: id, before, after });
  return after ?? null;
}
