import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { userAccounts, users, type WorkingHours } from '../db/schema.js';
import { afterCursor, newestFirst, toPage, type Page, type PageRequest } from './pagination.js';
import { recordAudit } from './audit.repo.js';
import { AppError } from '../lib/errors.js';
import type { AccountRef } from '../channel/adapter.js';

/**
 * One chat account of a person: the platform's name, which of the platform's ids it is (each
 * adapter names its kinds, e.g. 'userid', 'unionid') and the id itself.
 */
export type PlatformAccount = AccountRef;

export type UserRow = typeof users.$inferSelect;
export interface User extends UserRow {
  accounts: PlatformAccount[];
}
export type Role = User['role'];

export interface NewUser {
  name: string;
  role: Role;
  region?: string | null;
  accounts?: PlatformAccount[];
  workingHours?: WorkingHours | null;
  onDuty?: boolean;
  capacity?: number | null;
}

/** An account already bound to another user of the tenant (HTTP 409). */
export class AccountTakenError extends AppError {
  constructor(readonly account: PlatformAccount, readonly userId: string) {
    super('account_already_bound', `that ${account.platform} ${account.kind} is already bound to another user`, 409);
  }
}

export async function listUsers(tx: Tx, tenantId: string, f: { role?: Role; active?: boolean }, page: PageRequest): Promise<Page<User>> {
  const conds = [eq(users.tenantId, tenantId)];
  if (f.role) conds.push(eq(users.role, f.role));
  if (f.active !== undefined) conds.push(eq(users.active, f.active));
  const c = afterCursor(users.createdAt, users.id, page.cursor);
  if (c) conds.push(c);
  const rows = await tx.select().from(users).where(and(...conds)).orderBy(...newestFirst(users.createdAt, users.id)).limit(page.limit + 1);
  const p = toPage(rows, page.limit);
  return { items: await withAccounts(tx, tenantId, p.items), nextCursor: p.nextCursor };
}

/** Every active user of the tenant, with accounts (assignment reads them all). */
export async function listActiveUsers(tx: Tx, tenantId: string): Promise<User[]> {
  const rows = await tx.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.active, true)));
  return withAccounts(tx, tenantId, rows);
}

export async function withAccounts(tx: Tx, tenantId: string, rows: UserRow[]): Promise<User[]> {
  if (rows.length === 0) return [];
  const accs = await tx
    .select({ userId: userAccounts.userId, platform: userAccounts.platform, kind: userAccounts.kind, value: userAccounts.value })
    .from(userAccounts)
    .where(and(eq(userAccounts.tenantId, tenantId), inArray(userAccounts.userId, rows.map((r) => r.id))))
    .orderBy(asc(userAccounts.createdAt), asc(userAccounts.id));
  const by = new Map<string, PlatformAccount[]>();
  for (const a of accs) {
    const list = by.get(a.userId) ?? [];
    list.push({ platform: a.platform, kind: a.kind, value: a.value });
    by.set(a.userId, list);
  }
  return rows.map((r) => ({ ...r, accounts: by.get(r.id) ?? [] }));
}

export async function createUser(tx: Tx, tenantId: string, u: NewUser, actor: string): Promise<User> {
  const [row] = await tx
    .insert(users)
    .values({
      tenantId,
      name: u.name,
      role: u.role,
      region: u.region ?? null,
      workingHours: u.workingHours ?? null,
      onDuty: u.onDuty ?? false,
      capacity: u.capacity ?? null,
    })
    .returning();
  const accounts: PlatformAccount[] = [];
  for (const a of u.accounts ?? []) {
    if (await insertAccount(tx, tenantId, row!.id, a)) accounts.push(sameAccount(a));
  }
  const user = { ...row!, accounts };
  await recordAudit(tx, tenantId, { actor, action: 'user.create', entityType: 'user', entityId: row!.id, after: user });
  return user;
}

export async function getUser(tx: Tx, tenantId: string, id: string): Promise<User | null> {
  const [row] = await tx.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
  return row ? (await withAccounts(tx, tenantId, [row]))[0]! : null;
}

/** The CRM user bound to a chat account, if any. */
export async function findUserByAccount(tx: Tx, tenantId: string, acc: PlatformAccount): Promise<User | null> {
  const [hit] = await tx
    .select({ user: users })
    .from(userAccounts)
    .innerJoin(users, eq(users.id, userAccounts.userId))
    .where(and(
      eq(userAccounts.tenantId, tenantId),
      eq(userAccounts.platform, acc.platform),
      eq(userAccounts.kind, acc.kind),
      eq(userAccounts.value, acc.value),
    ));
  return hit ? (await withAccounts(tx, tenantId, [hit.user]))[0]! : null;
}

export async function listUserAccounts(tx: Tx, tenantId: string, userId: string): Promise<PlatformAccount[]> {
  const rows = await tx
    .select({ platform: userAccounts.platform, kind: userAccounts.kind, value: userAccounts.value })
    .from(userAccounts)
    .where(and(eq(userAccounts.tenantId, tenantId), eq(userAccounts.userId, userId)))
    .orderBy(asc(userAccounts.createdAt), asc(userAccounts.id));
  return rows;
}

/**
 * Binds an account to a user. True when bound now, false when this user already held it; an
 * account bound to another user of the tenant throws AccountTakenError (nothing changes).
 */
export async function addUserAccount(tx: Tx, tenantId: string, userId: string, acc: PlatformAccount, actor: string): Promise<boolean> {
  const added = await insertAccount(tx, tenantId, userId, acc);
  if (added) await recordAudit(tx, tenantId, { actor, action: 'user.account.add', entityType: 'user', entityId: userId, after: sameAccount(acc) });
  return added;
}

/** Unbinds an account from a user; false when the user did not hold it. */
export async function removeUserAccount(tx: Tx, tenantId: string, userId: string, acc: PlatformAccount, actor: string): Promise<boolean> {
  const gone = await tx
    .delete(userAccounts)
    .where(and(
      eq(userAccounts.tenantId, tenantId),
      eq(userAccounts.userId, userId),
      eq(userAccounts.platform, acc.platform),
      eq(userAccounts.kind, acc.kind),
      eq(userAccounts.value, acc.value),
    ))
    .returning({ id: userAccounts.id });
  if (gone.length === 0) return false;
  await recordAudit(tx, tenantId, { actor, action: 'user.account.remove', entityType: 'user', entityId: userId, before: sameAccount(acc) });
  return true;
}

function sameAccount(a: PlatformAccount): PlatformAccount {
  return { platform: a.platform, kind: a.kind, value: a.value };
}

// ON CONFLICT DO NOTHING keeps a surrounding transaction usable when the account is taken (a unique
// violation would abort it); the owner is then read to tell "already mine" from "someone else's".
async function insertAccount(tx: Tx, tenantId: string, userId: string, acc: PlatformAccount): Promise<boolean> {
  const inserted = await tx
    .insert(userAccounts)
    .values({ tenantId, userId, platform: acc.platform, kind: acc.kind, value: acc.value })
    .onConflictDoNothing()
    .returning({ id: userAccounts.id });
  if (inserted.length > 0) return true;
  const [owner] = await tx
    .select({ userId: userAccounts.userId })
    .from(userAccounts)
    .where(and(
      eq(userAccounts.tenantId, tenantId),
      eq(userAccounts.platform, acc.platform),
      eq(userAccounts.kind, acc.kind),
      eq(userAccounts.value, acc.value),
    ));
  if (owner && owner.userId !== userId) throw new AccountTakenError(sameAccount(acc), owner.userId);
  return false;
}
