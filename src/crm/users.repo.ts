import { and, eq } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { users, type WorkingHours } from '../db/schema.js';
import { afterCursor, newestFirst, toPage, type Page, type PageRequest } from './pagination.js';
import { recordAudit } from './audit.repo.js';

export type User = typeof users.$inferSelect;
export type Role = User['role'];

export interface NewUser {
  name: string;
  role: Role;
  region?: string | null;
  wecomUserId?: string | null;
  dingtalkUserId?: string | null;
  dingtalkUnionId?: string | null;
  workingHours?: WorkingHours | null;
  onDuty?: boolean;
  capacity?: number | null;
}

export async function listUsers(tx: Tx, tenantId: string, f: { role?: Role }, page: PageRequest): Promise<Page<User>> {
  const conds = [eq(users.tenantId, tenantId)];
  if (f.role) conds.push(eq(users.role, f.role));
  const c = afterCursor(users.createdAt, users.id, page.cursor);
  if (c) conds.push(c);
  const rows = await tx.select().from(users).where(and(...conds)).orderBy(...newestFirst(users.createdAt, users.id)).limit(page.limit + 1);
  return toPage(rows, page.limit);
}

export async function createUser(tx: Tx, tenantId: string, u: NewUser, actor: string): Promise<User> {
  const [row] = await tx
    .insert(users)
    .values({
      tenantId,
      name: u.name,
      role: u.role,
      region: u.region ?? null,
      wecomUserId: u.wecomUserId ?? null,
      dingtalkUserId: u.dingtalkUserId ?? null,
      dingtalkUnionId: u.dingtalkUnionId ?? null,
      workingHours: u.workingHours ?? null,
      onDuty: u.onDuty ?? false,
      capacity: u.capacity ?? null,
    })
    .returning();
  await recordAudit(tx, tenantId, { actor, action: 'user.create', entityType: 'user', entityId: row!.id, after: row });
  return row!;
}

export async function getUser(tx: Tx, tenantId: string, id: string): Promise<User | null> {
  const [row] = await tx.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
  return row ?? null;
}

export type PlatformAccount = { field: 'wecomUserId' | 'dingtalkUserId' | 'dingtalkUnionId'; value: string };

/** The CRM user bound to a chat account, if any. */
export async function findUserByAccount(tx: Tx, tenantId: string, acc: PlatformAccount): Promise<User | null> {
  const [row] = await tx.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users[acc.field], acc.value)));
  return row ?? null;
}
