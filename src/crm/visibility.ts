import { and, eq, exists, inArray, isNull, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { customers, leads, users } from '../db/schema.js';
import type { User } from './users.repo.js';

/**
 * Which records a person may see. `ownerIds` null: the whole tenant (admins, API keys, the
 * operator). Otherwise the customers owned by, and the leads assigned to, those users, plus every
 * unassigned open lead (and its customer): a rep sees their own, a manager their team (the users
 * of their region, or the whole tenant when they have none).
 */
export interface Visibility {
  ownerIds: string[] | null;
}

export const WHOLE_TENANT: Visibility = { ownerIds: null };

export async function visibilityOf(tx: Tx, tenantId: string, user: User | undefined): Promise<Visibility> {
  if (!user || user.role === 'admin') return WHOLE_TENANT;
  if (user.role === 'rep') return { ownerIds: [user.id] };
  if (!user.region) return WHOLE_TENANT;
  const team = await tx.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.region, user.region)));
  return { ownerIds: [...new Set([user.id, ...team.map((t) => t.id)])] };
}

const CLOSED = ['won', 'lost'] as const;

function unassignedOpenLead(tenantId: string): SQL {
  return and(eq(leads.tenantId, tenantId), eq(leads.customerId, customers.id), isNull(leads.assigneeId), notInArray(leads.status, [...CLOSED]))!;
}

/** The condition on `customers` for what v may see (undefined: everything). */
export function customersVisible(tx: Tx, tenantId: string, v: Visibility): SQL | undefined {
  if (v.ownerIds === null) return undefined;
  return or(
    inArray(customers.ownerId, v.ownerIds),
    exists(tx.select({ one: sql`1` }).from(leads).where(unassignedOpenLead(tenantId))),
  );
}

/** The condition on `leads` for what v may see. */
export function leadsVisible(v: Visibility): SQL | undefined {
  if (v.ownerIds === null) return undefined;
  return or(inArray(leads.assigneeId, v.ownerIds), and(isNull(leads.assigneeId), notInArray(leads.status, [...CLOSED])));
}

export async function canSeeCustomer(tx: Tx, tenantId: string, v: Visibility, customerId: string): Promise<boolean> {
  const cond = customersVisible(tx, tenantId, v);
  if (!cond) return true;
  const [row] = await tx.select({ id: customers.id }).from(customers).where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId), cond));
  return !!row;
}

export function canSeeLead(v: Visibility, lead: { assigneeId: string | null; status: string }): boolean {
  if (v.ownerIds === null) return true;
  if (lead.assigneeId) return v.ownerIds.includes(lead.assigneeId);
  return !(CLOSED as readonly string[]).includes(lead.status);
}
