import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { backends, openTestDatabase, type TestDatabase } from '../../helpers/test-db.js';
import { NOW, seedFixture, TZ, type Fixture } from './fixture.js';
import { period, localDay, localMidnight, nextLocal } from '../../../src/crm/insight/period.js';
import { TENANT_SCOPE, resolveScope } from '../../../src/crm/insight/scope.js';
import { defaultInsightSettings as S } from '../../../src/crm/insight/settings.js';
import { healthMetrics } from '../../../src/crm/insight/metrics.service.js';
import { funnel, heatmaps } from '../../../src/crm/insight/funnel.service.js';
import { userNames } from '../../../src/crm/insight/report.data.js';
import { leads, customers } from '../../../src/db/schema.js';
import { upsertTenant } from '../../../src/crm/tenants.repo.js';
import { createUser } from '../../../src/crm/users.repo.js';
import { responseCounts } from '../../../src/crm/insight/metrics.repo.js';

describe('local days', () => {
  it('reads period edges as local midnights, across a daylight-saving change', () => {
    expect(localMidnight('2026-03-02', TZ).toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(localDay(new Date('2026-03-01T15:59:59Z'), TZ)).toBe('2026-03-01');
    expect(localDay(new Date('2026-03-01T16:00:00Z'), TZ)).toBe('2026-03-02');
    // New York springs forward on 2026-03-08: that local day is 23 hours long.
    const p = period('2026-03-08', '2026-03-08', 'America/New_York');
    expect(p.start.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(p.end.toISOString()).toBe('2026-03-09T04:00:00.000Z');
    // Monday 09:00 Shanghai after Wednesday 2026-03-04 is 2026-03-09T01:00Z.
    expect(nextLocal(new Date('2026-03-04T00:00:00Z'), TZ, 9, 0, 1).toISOString()).toBe('2026-03-09T01:00:00.000Z');
    expect(nextLocal(new Date('2026-03-09T01:00:00Z'), TZ, 9, 0, 1).toISOString()).toBe('2026-03-09T01:00:00.000Z');
  });
});

describe.each(backends)('health metrics against a hand-computed fixture on %s', (backend) => {
  let t: TestDatabase;
  let f: Fixture;
  const week = period('2026-03-02', '2026-03-08', TZ);

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    f = await seedFixture(t.database);
  }, 120_000); // opening a database and a server is slow on a loaded machine
  afterAll(async () => {
    await t?.drop();
  });

  it('response rate, median and p90 over the local week (a lead at 23:59 local on the day before is out)', async () => {
    const m = await healthMetrics(t.database.db, 'acme', week, TENANT_SCOPE, S, NOW);
    // L1 10 min, L2 30 min (counts: within is <=), L3 45, L4 none, L6 120. L5 (Mar 1 23:59) and L7 (Mar 9 00:00) are outside.
    expect(m.responseRate).toMatchObject({ value: 0.4, numerator: 2, denominator: 5, display: '40.0%', threshold: 0.8, broken: true });
    // Answered: 600, 1800, 2700, 7200 s. Median (1800 + 2700) / 2; p90 at 0.9 x 3 = 2.7: 2700 + 0.7 x 4500.
    expect(m.responseRate.details).toMatchObject({ responded: 4, medianSeconds: 2250, p90Seconds: 5850, median: '37.5 分钟', p90: '97.5 分钟' });
    expect(m.responseRate.definition).toContain('30 分钟内');
  });

  it('completeness: phone, company and need (a product named or a need written); merged and out-of-period customers are out', async () => {
    const m = await healthMetrics(t.database.db, 'acme', week, TENANT_SCOPE, S, NOW);
    expect(m.completeness).toMatchObject({ value: 0.5, numerator: 2, denominator: 4, broken: true, threshold: 0.92 });
    expect(m.completeness.details).toEqual({ withPhone: 3, withCompany: 3, withNeed: 4 });
  });

  it('collaboration: distinct roles per customer per local month', async () => {
    const m = await healthMetrics(t.database.db, 'acme', week, TENANT_SCOPE, S, NOW);
    // C1 March: rep + manager = 2; C2 March: 1; C3 March: admin = 1. 4 / 3.
    expect(m.collaboration).toMatchObject({ value: 1.33, numerator: 4, denominator: 3, display: '1.33', broken: true });
    // To April 8: C3's rep note at April 1 00:30 local is a new customer-month (in UTC it would still be March: 5 / 3).
    const longer = await healthMetrics(t.database.db, 'acme', period('2026-03-02', '2026-04-08', TZ), TENANT_SCOPE, S, NOW);
    expect(longer.collaboration).toMatchObject({ value: 1.25, numerator: 5, denominator: 4 });
  });

  it('survival: alive on day 7 unless lost or silent in days 4-7', async () => {
    const m = await healthMetrics(t.database.db, 'acme', week, TENANT_SCOPE, S, NOW);
    // L1 won, L2 lost on day 2, L3 heard on day 5, L4 only on day 1 (silent), L6 heard at day 7 exactly.
    expect(m.survival).toMatchObject({ value: 0.6, numerator: 3, denominator: 5, broken: false });
    expect(m.survival.details).toEqual({ lost: 1, silent: 1 });
    // Leads younger than 7 days are not judged yet.
    const early = await healthMetrics(t.database.db, 'acme', week, TENANT_SCOPE, S, new Date('2026-03-12T00:00:00Z'));
    expect(early.survival.denominator).toBe(3); // L1 (Mar 1 16:00Z), L2 (Mar 3), L3 (Mar 4): 7 days by Mar 12 00:00Z
  });

  it('by team and by rep', async () => {
    const { db } = t.database;
    const team = await resolveScope(db, 'acme', { team: '华东' }, { ownerIds: null });
    const m = await healthMetrics(db, 'acme', week, team, S, NOW);
    expect(m.responseRate).toMatchObject({ numerator: 2, denominator: 3, value: 0.6667 });
    expect(m.completeness).toMatchObject({ numerator: 2, denominator: 2, value: 1, broken: false });
    const rep = await resolveScope(db, 'acme', { rep: f.r2.id }, { ownerIds: null });
    const r = await healthMetrics(db, 'acme', week, rep, S, NOW);
    expect(r.responseRate).toMatchObject({ numerator: 0, denominator: 2, value: 0 });
    expect(r.completeness).toMatchObject({ numerator: 0, denominator: 2 });
    // A region manager cannot ask for another team.
    await expect(resolveScope(db, 'acme', { team: '华南' }, { ownerIds: [f.manager.id, f.r1.id] })).rejects.toThrow('not yours');
  });

  it('funnel, conversion and cost per lead by source and campaign', async () => {
    const fu = await funnel(t.database.db, 'acme', week, TENANT_SCOPE, S);
    const src = (s: string) => fu.bySource.find((x) => x.source === s);
    expect(fu.bySource[0]).toEqual({ source: '展会', campaign: '', leads: 3, contacted: 2, qualified: 0, won: 0, lost: 1, conversion: 0, spend: 3600, costPerLead: 1200, costPerWon: null, credit: 0, costPerCredit: null });
    expect(src('老客转介')).toEqual({ source: '老客转介', campaign: '', leads: 1, contacted: 1, qualified: 1, won: 1, lost: 0, conversion: 1, spend: null, costPerLead: null, costPerWon: null, credit: 0, costPerCredit: null });
    expect(src('官网')).toMatchObject({ leads: 1, contacted: 1, qualified: 1, won: 0 });
    expect(fu.bySource).toHaveLength(3);
    const camp = (s: string, c: string) => fu.byCampaign.find((x) => x.source === s && x.campaign === c);
    expect(camp('展会', 'spring')).toMatchObject({ leads: 2, spend: 3000, costPerLead: 1500 });
    expect(camp('展会', 'autumn')).toMatchObject({ leads: 1, spend: null, costPerLead: null });
  });

  it('assignment and response heat maps by rep and local hour', async () => {
    const { db } = t.database;
    const h = await heatmaps(db, 'acme', week, TENANT_SCOPE, S, await userNames(db, 'acme'));
    const cell = (m: typeof h.assignment | typeof h.response, rep: string, hour: number) => m.find((c) => c.repId === rep && c.hour === hour);
    expect(h.assignment.map((c) => [c.rep, c.hour, c.count])).toEqual(expect.arrayContaining([['李销售', 0, 1], ['李销售', 10, 1], ['李销售', 23, 1], ['张销售', 10, 2]]));
    expect(h.assignment).toHaveLength(4);
    expect(cell(h.response, f.r1.id, 0)).toMatchObject({ count: 1, within: 1, medianMinutes: 10 });
    expect(cell(h.response, f.r1.id, 23)).toMatchObject({ count: 1, within: 0, medianMinutes: 120 });
    expect(cell(h.response, f.r2.id, 10)).toMatchObject({ count: 2, within: 0, medianMinutes: 45 });
  });

  it('counts leads on the local days of a daylight-saving change', async () => {
    const { db } = t.database;
    await upsertTenant(db, { tenantId: 'ny', name: 'NY', timeZone: 'America/New_York' }, 'test');
    const rep = await createUser(db, 'ny', { name: 'Rep', role: 'rep' }, 'test');
    const [c] = await db.insert(customers).values({ tenantId: 'ny', name: 'x' }).returning();
    for (const at of ['2026-03-08T04:59:00Z', '2026-03-08T05:00:00Z', '2026-03-09T03:59:00Z', '2026-03-09T04:00:00Z']) {
      await db.insert(leads).values({ tenantId: 'ny', customerId: c!.id, assigneeId: rep.id, status: 'assigned', createdAt: new Date(at) });
    }
    const r = await responseCounts(db, 'ny', period('2026-03-08', '2026-03-08', 'America/New_York'), TENANT_SCOPE, 30, NOW);
    expect(r.total).toBe(2); // 00:00 EST and 23:59 EDT; 23:59 the evening before and 00:00 the morning after are out
  });
});
