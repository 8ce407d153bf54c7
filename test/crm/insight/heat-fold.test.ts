import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../../helpers/test-db.js';
import { postWecom, seedTenant, startHarness, textMessageXml, waitFor, wecomCallback, type Harness } from '../../helpers/harness.js';

// A forwarded message's transaction appends its lead's part of the heat map as a delta (0012); the
// running server folds the deltas into the heat rows on its own, and stops folding when it stops.
describe.each(backends)('the running server folds the heat deltas, on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await seedTenant(t.database);
    h = await startHarness(t.database, { heatFoldMs: 50 });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('a new lead reaches its rep\'s heat row and leaves no delta behind', async () => {
    const res = await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: '宁波市妇幼保健院赵科长 13700001111 想了解移动DR', msgId: '9401' })));
    expect(res.status).toBe(200);
    const [lead] = await waitFor(async () => {
      const r = await t.database.query<{ assignee_id: string; created_at: Date }>(sql`select assignee_id, created_at from leads`);
      return r.length ? r : null;
    }, 10_000, 'the lead');
    const heat = await waitFor(async () => {
      const [d] = await t.database.query<{ n: number }>(sql`select count(*)::int as n from insight_heat_deltas`);
      const rows = await t.database.query<{ assignee_id: string; created: number; assigned: number }>(sql`select assignee_id, created, assigned from insight_heat_months`);
      return d!.n === 0 && rows.length > 0 ? rows : null;
    }, 10_000, 'the delta folded');
    expect(heat.map((r) => [r.assignee_id, r.created])).toEqual([[lead!.assignee_id, 1]]);
  });
});
