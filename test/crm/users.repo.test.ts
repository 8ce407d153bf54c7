import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { upsertTenant } from '../../src/crm/tenants.repo.js';
import {
  AccountTakenError, addUserAccount, createUser, findUserByAccount, getUser, listUserAccounts, listUsers, removeUserAccount,
} from '../../src/crm/users.repo.js';
import { listAudit } from '../../src/crm/audit.repo.js';

describe.each(backends)('user accounts on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await upsertTenant(t.database.db, { tenantId: 'a', name: 'A' }, 'test');
    await upsertTenant(t.database.db, { tenantId: 'b', name: 'B' }, 'test');
  });
  afterAll(async () => t?.drop());

  const acc = (platform: string, kind: string, value: string) => ({ platform, kind, value });

  it('a user holds several accounts, on one platform or several, and is found by each', async () => {
    const { db } = t.database;
    const u = await createUser(db, 'a', { name: '多账号', role: 'rep', accounts: [acc('p1', 'userid', 'm1'), acc('p2', 'userid', 'm1'), acc('p2', 'unionid', 'union-m1')] }, 'test');
    expect(u.accounts).toEqual([acc('p1', 'userid', 'm1'), acc('p2', 'userid', 'm1'), acc('p2', 'unionid', 'union-m1')]);
    for (const a of u.accounts) expect((await findUserByAccount(db, 'a', a))?.id).toBe(u.id);
    expect((await findUserByAccount(db, 'a', acc('p2', 'userid', 'm1')))?.accounts).toHaveLength(3);
    // Kind and platform are part of the key: the same value under another kind is nobody's.
    expect(await findUserByAccount(db, 'a', acc('p1', 'unionid', 'm1'))).toBeNull();
    expect(await findUserByAccount(db, 'b', acc('p1', 'userid', 'm1'))).toBeNull();
    expect((await listUsers(db, 'a', {}, { limit: 50 })).items.find((x) => x.id === u.id)?.accounts).toHaveLength(3);
  });

  it('adds and removes accounts, with audit rows; adding one twice is a no-op', async () => {
    const { db } = t.database;
    const u = await createUser(db, 'a', { name: '绑定', role: 'rep' }, 'test');
    expect(await addUserAccount(db, 'a', u.id, acc('p3', 'userid', 'bind-1'), 'admin')).toBe(true);
    expect(await addUserAccount(db, 'a', u.id, acc('p3', 'userid', 'bind-1'), 'admin')).toBe(false);
    expect(await addUserAccount(db, 'a', u.id, acc('p3', 'userid', 'bind-2'), 'admin')).toBe(true);
    expect(await listUserAccounts(db, 'a', u.id)).toEqual([acc('p3', 'userid', 'bind-1'), acc('p3', 'userid', 'bind-2')]);
    expect(await removeUserAccount(db, 'a', u.id, acc('p3', 'userid', 'bind-1'), 'admin')).toBe(true);
    expect(await removeUserAccount(db, 'a', u.id, acc('p3', 'userid', 'bind-1'), 'admin')).toBe(false);
    expect(await findUserByAccount(db, 'a', acc('p3', 'userid', 'bind-1'))).toBeNull();
    expect((await getUser(db, 'a', u.id))?.accounts).toEqual([acc('p3', 'userid', 'bind-2')]);
    expect((await listAudit(db, 'a', 'user', u.id)).map((r) => r.action)).toEqual(['user.create', 'user.account.add', 'user.account.add', 'user.account.remove']);
  });

  it('refuses an account bound to another user of the tenant, inside a transaction that stays usable', async () => {
    const { db } = t.database;
    const owner = await createUser(db, 'a', { name: '原主', role: 'rep', accounts: [acc('p4', 'userid', 'taken')] }, 'test');
    const other = await createUser(db, 'a', { name: '他人', role: 'rep' }, 'test');
    await db.transaction(async (tx) => {
      await expect(addUserAccount(tx, 'a', other.id, acc('p4', 'userid', 'taken'), 'admin')).rejects.toMatchObject({ code: 'account_already_bound', status: 409, userId: owner.id });
      // The transaction is still usable after the refusal.
      expect(await addUserAccount(tx, 'a', other.id, acc('p4', 'userid', 'free'), 'admin')).toBe(true);
    });
    expect((await findUserByAccount(db, 'a', acc('p4', 'userid', 'taken')))?.id).toBe(owner.id);
    expect((await getUser(db, 'a', other.id))?.accounts).toEqual([acc('p4', 'userid', 'free')]);
    await expect(createUser(db, 'a', { name: '冒名', role: 'rep', accounts: [acc('p4', 'userid', 'taken')] }, 'test')).rejects.toBeInstanceOf(AccountTakenError);
    // Another tenant may bind the same account.
    const b = await createUser(db, 'b', { name: '乙', role: 'rep', accounts: [acc('p4', 'userid', 'taken')] }, 'test');
    expect((await findUserByAccount(db, 'b', acc('p4', 'userid', 'taken')))?.id).toBe(b.id);
  });
});
