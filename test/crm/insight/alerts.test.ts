import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../../helpers/test-db.js';
import { outboxRows, startHarness, type Harness } from '../../helpers/harness.js';
import { seedFixture, type Fixture } from './fixture.js';
import { upsertTenant } from '../../../src/crm/tenants.repo.js';
import { createUser } from '../../../src/crm/users.repo.js';
import { customers, leads } from '../../../src/db/schema.js';
import { scheduleInsight } from '../../../src/crm/insight/schedule.js';
import { putInsightSettings, defaultInsightSettings } from '../../../src/crm/insight/settings.js';

const PUBLIC = 'https://kelu.example.com';

describe.each(backends)('threshold alerts and the weekly report on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  let clock = Date.parse('2026-03-02T00:30:00Z'); // 08:30 Monday in Shanghai
  let f: Fixture;
  const now = () => new Date(clock);
  const start = () => startHarness(t.database, { startWorkers: false, clock: now, env: { KELU_PUBLIC_URL: PUBLIC } });
  const fire = async () => {
    while ((await h.runtime.timers.runDue()) > 0);
  };
  const sent = async (to: string) => (await outboxRows(t.database)).filter((m) => m.payload.to?.userIds?.[0] === to).map((m) => m.payload.reply);

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    f = await seedFixture(t.database, 'acme');
    // Tenant 'al': one unanswered lead on each of March 2, 3 and 4 (local); alerts after 2 days.
    const { db } = t.database;
    await upsertTenant(db, { tenantId: 'al', name: '预警公司', timeZone: 'Asia/Shanghai' }, 'test');
    await createUser(db, 'al', { name: '总经理', role: 'manager', accounts: [{ platform: 'wecom', kind: 'userid', value: 'al-boss' }] }, 'test');
    const rep = await createUser(db, 'al', { name: '慢销售', role: 'rep' }, 'test');
    const [c] = await db.insert(customers).values({ tenantId: 'al', name: '客户', createdAt: new Date('2026-01-01T00:00:00Z') }).returning();
    for (const at of ['2026-03-02T02:00:00Z', '2026-03-03T02:00:00Z', '2026-03-04T02:00:00Z']) {
      await db.insert(leads).values({ tenantId: 'al', customerId: c!.id, assigneeId: rep.id, status: 'assigned', createdAt: new Date(at) });
    }
    await putInsightSettings(db, 'al', { ...defaultInsightSettings, alertAfterDays: 2, weeklyReport: false }, 'test');
    await scheduleInsight(db, 'al', now());
    await putInsightSettings(db, 'acme', { ...defaultInsightSettings, alerts: false }, 'test');
    h = await start();
  }, 120_000); // opening a database and a server is slow on a loaded machine
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('alerts the manager once a threshold is broken N local days in a row, once, and again only after N more', async () => {
    clock = Date.parse('2026-03-03T00:00:00Z'); // 08:00 March 3: checks March 2, one day
    await fire();
    expect(await sent('al-boss')).toHaveLength(0);
    await h.close();
    h = await start(); // a restart between checks
    clock = Date.parse('2026-03-04T00:00:00Z'); // checks March 3: two days in a row
    await fire();
    const cards = await sent('al-boss');
    expect(cards).toHaveLength(1);
    expect(cards[0].card.title).toBe('预警：首响率连续 2 天低于 80.0%');
    expect(cards[0].card.description).toContain('30 分钟内有首次回复的比例');
    expect(cards[0].card.url).toBe(`${PUBLIC}/dashboard?from=2026-03-02&to=2026-03-03#alerts`);
    await fire();
    clock = Date.parse('2026-03-05T00:00:00Z'); // March 4: three in a row, not a multiple of 2
    await fire();
    expect(await sent('al-boss')).toHaveLength(1);
    const rows = await t.database.query<{ day: string; streak: number; metric: string }>(sql`select to_char(day, 'YYYY-MM-DD') as day, streak, metric from insight_alerts where tenant_id = 'al'`);
    expect(rows).toEqual([{ day: '2026-03-03', streak: 2, metric: 'responseRate' }]);
    clock = Date.parse('2026-03-06T00:00:00Z'); // March 5 had no lead: nothing to count, no streak
    await fire();
    expect(await sent('al-boss')).toHaveLength(1);
  });

  it('sends each manager the weekly report for their team on Monday 09:00 local, once', async () => {
    await scheduleInsight(t.database.db, 'acme', new Date('2026-03-08T00:00:00Z'));
    clock = Date.parse('2026-03-09T01:00:00Z'); // Monday 09:00 in Shanghai
    await fire();
    const east = await sent('acme-mgr-east');
    expect(east).toHaveLength(2);
    const card = east[0].card;
    expect(card.title).toBe('客路周报 2026-03-02～2026-03-08（华东团队）');
    expect(card.fields).toEqual([
      { label: '首响率', value: '66.7%（上周 100.0%，-33.3 个百分点）' },
      { label: '资料完整率', value: '100.0%（上周 100.0%，+0.0 个百分点）' },
      { label: '协作密度', value: '1.50（上周 —，—）' },
      { label: '首响最弱', value: '李销售 66.7%（3 条线索）' },
      { label: '风险线索', value: '1 条' },
    ]);
    expect(card.url).toBe(`${PUBLIC}/dashboard?from=2026-03-02&to=2026-03-08&team=%E5%8D%8E%E4%B8%9C`);
    expect(east[1].text).toContain(`[李销售](${PUBLIC}/dashboard?from=2026-03-02&to=2026-03-08&rep=${f.r1.id})`);
    expect(east[1].text).toContain(`1. [线索客户5](${PUBLIC}/dashboard?team=%E5%8D%8E%E4%B8%9C#risk-${f.leads.L5})：7 天没有往来`);
    const south = await sent('acme-mgr-south');
    expect(south[0].card.fields[0]).toEqual({ label: '首响率', value: '0.0%（上周 —，—）' });
    expect(south[1].text).toContain('线索客户4');
    expect(south[1].text).toContain('还没有首次回复');
    // Once: a restart and another run send nothing more; next Monday is pending.
    await h.close();
    h = await start();
    await fire();
    expect(await sent('acme-mgr-east')).toHaveLength(2);
    const next = await t.database.query<{ ref_id: string }>(sql`select ref_id from timers where tenant_id = 'acme' and kind = 'insight.weekly' and status = 'pending'`);
    expect(next.map((r) => r.ref_id)).toEqual(['2026-03-16']);
  });
});
