import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { waitFor } from '../helpers/harness.js';
import { upsertTenant } from '../../src/crm/tenants.repo.js';
import { resolveCustomer, type ResolveResult } from '../../src/crm/resolution.service.js';
import type { Identity } from '../../src/crm/customers.repo.js';

// Two workers resolving the same person at the same moment need two connections: PostgreSQL only.
describe('identity resolution under concurrent captures (PostgreSQL server)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    await upsertTenant(t.database.db, { tenantId: 'r', name: 'R' }, 'test');
  });
  afterAll(async () => {
    await t?.drop();
  });

  const resolve = (ids: Identity[], name: string) => (tx: Parameters<Parameters<typeof t.database.db.transaction>[0]>[0]) =>
    resolveCustomer(tx, 'r', { identities: ids, profile: { name }, actor: 'test' });

  /** Runs `first` in a transaction held open until `second` (in its own transaction) has started and waited a little. */
  async function race(first: ReturnType<typeof resolve>, second: ReturnType<typeof resolve>) {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let firstDone!: () => void;
    const firstResolved = new Promise<void>((r) => (firstDone = r));
    const a = t.database.db.transaction(async (tx) => {
      const r = await first(tx);
      firstDone();
      await held;
      return r;
    });
    await firstResolved;
    let bDone = false;
    const b = t.database.db.transaction(second).then((r) => ({ ok: true as const, r }), (e: unknown) => ({ ok: false as const, e: e as Error & { retryable?: boolean } }));
    void b.then(() => (bDone = true));
    // b has either finished (it touched nothing of a's) or is blocked on a's uncommitted rows, which
    // the server shows as a backend waiting for a lock.
    await waitFor(async () => {
      if (bDone) return true;
      const [row] = await t.database.query<{ n: number }>(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
      return row!.n > 0;
    }, 5_000, "the second transaction to wait for the first one's lock");
    release();
    return { a: await a, b: await b };
  }

  const customersWith = (value: string) => t.database.query<{ customer_id: string }>(sql`select customer_id from customer_identities where tenant_id = 'r' and value = ${value}`);

  it('two captures of one new phone: the loser fails, its retry finds the winner, one customer', async () => {
    const phone: Identity = { kind: 'phone', value: '13700001111' };
    const { a, b } = await race(resolve([phone], '甲'), resolve([phone], '甲'));
    expect(a.created).toBe(true);
    expect(b.ok).toBe(false); // the unique identity index stops the second customer
    const retry: ResolveResult = await t.database.db.transaction(resolve([phone], '甲'));
    expect(retry.created).toBe(false);
    expect(retry.customer.id).toBe(a.customer.id);
    expect((await t.database.query(sql`select 1 from customers where tenant_id = 'r' and name = '甲'`)).length).toBe(1);
  });

  it('an identity a concurrent capture added to the same customer after our read: no conflict, nothing doubled', async () => {
    const phone: Identity = { kind: 'phone', value: '13700002222' };
    const email: Identity = { kind: 'email', value: 'yi@example.cn' };
    const base = await t.database.db.transaction(resolve([phone], '乙'));
    // a adds the email to the customer and holds its lock; b arrives with phone + email.
    const { a, b } = await race(resolve([phone, email], '乙'), resolve([phone, email], '乙'));
    expect(a.addedIdentities).toEqual([email]);
    expect(b.ok).toBe(true);
    if (b.ok) {
      expect(b.r.customer.id).toBe(base.customer.id);
      expect(b.r.addedIdentities).toEqual([]);
    }
    expect((await customersWith('yi@example.cn')).map((r) => r.customer_id)).toEqual([base.customer.id]);
  });

  it('an identity a concurrent capture gave to another customer: retryable, and the retry merges the two', async () => {
    const phone: Identity = { kind: 'phone', value: '13700005555' };
    const email: Identity = { kind: 'email', value: 'wu@example.cn' };
    const x = await t.database.db.transaction(resolve([phone], '戊'));
    // a creates a new customer from the email alone; b knows the phone (customer x) and brings the email.
    const { a, b } = await race(resolve([email], '戊'), resolve([phone, email], '戊'));
    expect(a.created).toBe(true);
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.e.retryable).toBe(true);
    const retry = await t.database.db.transaction(resolve([phone, email], '戊'));
    expect(retry.customer.id).toBe(x.customer.id); // the older one survives
    expect(retry.mergedIds).toEqual([a.customer.id]);
    expect((await customersWith('wu@example.cn')).map((r) => r.customer_id)).toEqual([x.customer.id]);
  });

  it('captures of different people both succeed (no false conflict)', async () => {
    const { a, b } = await race(resolve([{ kind: 'phone', value: '13700003333' }], '丙'), resolve([{ kind: 'phone', value: '13700004444' }], '丁'));
    expect(a.created).toBe(true);
    expect(b.ok).toBe(true);
    if (b.ok) expect(b.r.created).toBe(true);
  });
});
