import { and, arrayContains, eq, ilike, inArray, isNull, or, sql, exists, type SQL } from 'drizzle-orm';
import { runPrepared, selectList, type Tx } from '../db/database.js';
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
  /** A visibility condition (visibility.ts). */
  visible?: SQL;
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
  if (f.visible) conds.push(f.visible);
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

/**
 * CTEs that create a customer (`created`), its identities and its audit row in one statement, when
 * `condition` holds. Parameters: $1 tenant, $2/$3 identity kinds/values (normalized), then from $4
 * what customerCreateParams() lists. Used by createCustomer and by resolution's lock statement.
 */
export function customerCreateCtes(condition = 'true'): string {
  return `created as (
    insert into customers (tenant_id, name, company, title, tags, owner_id, source_channel, utm, stage, custom_fields, region)
    select $1, $4, $5, $6, $7::text[], $8::uuid, $9, $10::jsonb, $11, $12::jsonb, $13 where ${condition}
    returning *
  ), created_identities as (
    insert into customer_identities (tenant_id, customer_id, kind, value)
    select $1, c.id, u.kind, u.value from created c, unnest($2::text[], $3::text[]) with ordinality as u(kind, value, n) order by u.n
  ), created_audit as (
    insert into audit_log (tenant_id, actor, action, entity_type, entity_id, after)
    select $1, $14, 'customer.create', 'customer', c.id::text,
      (select to_jsonb(x) from (select ${selectList(customers, 'c')}) x) || jsonb_build_object('identities', $15::jsonb)
    from created c
  )`;
}

/** $1..$15 of customerCreateCtes (identities already normalized). */
export function customerCreateParams(tenantId: string, c: NewCustomer, identities: Identity[], actor: string): unknown[] {
  return [
    tenantId, identities.map((i) => i.kind), identities.map((i) => i.value),
    c.name ?? null, c.company ?? null, c.title ?? null, c.tags ?? [], c.ownerId ?? null, c.sourceChannel ?? null,
    JSON.stringify(c.utm ?? {}), c.stage ?? 'new', JSON.stringify(c.customFields ?? {}), c.region ?? null, actor, JSON.stringify(identities),
  ];
}

const CREATE_CUSTOMER = `with ${customerCreateCtes()}
  select ${selectList(customers, 'c')} from created c`;

/** The customer, its identities and its audit row in one round trip. */
export async function createCustomer(tx: Tx, tenantId: string, c: NewCustomer, actor: string): Promise<Customer> {
  const identities: Identity[] = (c.identities ?? []).map((i) => ({ kind: i.kind, value: normalizeIdentity(i.kind, i.value) }));
  const [row] = await runPrepared<CustomerRow>(tx, 'kelu_create_customer', CREATE_CUSTOMER, customerCreateParams(tenantId, c, identities, actor));
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
