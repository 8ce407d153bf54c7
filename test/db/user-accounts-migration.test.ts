import { describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase } from '../helpers/test-db.js';
import { loadMigrations } from '../../src/db/migrate.js';
import { findUserByAccount, getUser } from '../../src/crm/users.repo.js';

// 0003 turns the three account columns of users into user_accounts rows. The migration is the one
// place outside the adapters that still names the old columns, so the platform names appear here.
describe.each(backends)('migration 0003_user_accounts on %s', (backend) => {
  it('moves every account column value into user_accounts rows, and drops the columns', async () => {
    const all = loadMigrations();
    const at = all.findIndex((m) => m.name === '0003_user_accounts');
    expect(at).toBeGreaterThan(0);
    const t = await openTestDatabase(backend, all.slice(0, at));
    try {
      const { database } = t;
      await database.query(sql`insert into tenants (tenant_id, name) values ('a', 'A'), ('b', 'B')`);
      const ids = {
        both: '00000000-0000-4000-8000-000000000001',
        wecomOnly: '00000000-0000-4000-8000-000000000002',
        unionOnly: '00000000-0000-4000-8000-000000000003',
        none: '00000000-0000-4000-8000-000000000004',
        otherTenant: '00000000-0000-4000-8000-000000000005',
      };
      await database.query(sql`
        insert into users (id, tenant_id, role, name, wecom_user_id, dingtalk_user_id, dingtalk_union_id, created_at) values
          (${ids.both}, 'a', 'manager', '陈经理', 'chen', 'dt-chen', 'u-chen', '2026-01-01T00:00:00Z'),
          (${ids.wecomOnly}, 'a', 'rep', '李销售', 'li', null, null, '2026-01-02T00:00:00Z'),
          (${ids.unionOnly}, 'a', 'rep', '王销售', null, null, 'u-wang', '2026-01-03T00:00:00Z'),
          (${ids.none}, 'a', 'rep', '无账号', null, null, null, '2026-01-04T00:00:00Z'),
          (${ids.otherTenant}, 'b', 'rep', '乙销售', 'chen', 'dt-chen', null, '2026-01-05T00:00:00Z')`);

      expect(await database.migrate()).toEqual(all.slice(at).map((m) => m.name));

      const rows = await database.query<{ tenant_id: string; user_id: string; platform: string; kind: string; value: string; created_at: Date }>(
        sql`select tenant_id, user_id, platform, kind, value, created_at from user_accounts order by tenant_id, user_id, platform, kind`,
      );
      expect(rows.map((r) => [r.tenant_id, r.user_id, r.platform, r.kind, r.value])).toEqual([
        ['a', ids.both, 'dingtalk', 'unionid', 'u-chen'],
        ['a', ids.both, 'dingtalk', 'userid', 'dt-chen'],
        ['a', ids.both, 'wecom', 'userid', 'chen'],
        ['a', ids.wecomOnly, 'wecom', 'userid', 'li'],
        ['a', ids.unionOnly, 'dingtalk', 'unionid', 'u-wang'],
        ['b', ids.otherTenant, 'dingtalk', 'userid', 'dt-chen'],
        ['b', ids.otherTenant, 'wecom', 'userid', 'chen'],
      ]);
      // Rows keep their user's creation time.
      expect(new Date(rows.find((r) => r.value === 'li')!.created_at).toISOString()).toBe('2026-01-02T00:00:00.000Z');

      const cols = await database.query<{ column_name: string }>(sql`select column_name from information_schema.columns where table_name = 'users' and table_schema = 'public'`);
      expect(cols.map((c) => c.column_name)).not.toEqual(expect.arrayContaining(['wecom_user_id']));
      expect(cols.map((c) => c.column_name).filter((c) => /_(user|union)_id$/.test(c))).toEqual([]);

      // The repository reads the moved rows: found by any account, tenant by tenant.
      const { db } = database;
      expect((await findUserByAccount(db, 'a', { platform: 'dingtalk', kind: 'unionid', value: 'u-chen' }))?.id).toBe(ids.both);
      expect((await findUserByAccount(db, 'b', { platform: 'wecom', kind: 'userid', value: 'chen' }))?.id).toBe(ids.otherTenant);
      expect((await getUser(db, 'a', ids.none))?.accounts).toEqual([]);
    } finally {
      await t.drop();
    }
  });
});
