import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { json } from '../helpers/test-app.js';
import { NOW, seedFixture, type Fixture } from '../crm/insight/fixture.js';
import type { User } from '../../src/crm/users.repo.js';

const OPERATOR = 'harness-admin-token-0123';

describe.each(backends)('insight API on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  let f: Fixture;
  const q = '?from=2026-03-02&to=2026-03-08';
  const op = (p: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${h.server.url}${p}`, { method: init.method ?? 'GET', headers: { authorization: `Bearer ${OPERATOR}`, 'x-kelu-tenant': 'acme', ...(init.body ? { 'content-type': 'application/json' } : {}) }, body: init.body ? JSON.stringify(init.body) : undefined });
  const as = (u: User, p: string) => {
    const s = h.runtime.auth.sessions.issue('acme', u.id);
    return fetch(`${h.server.url}${p}`, { headers: { cookie: `kelu_session=${s.value}` } });
  };

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    f = await seedFixture(t.database);
    h = await startHarness(t.database, { startWorkers: false, clock: () => NOW });
  }, 120_000); // opening a database and a server is slow on a loaded machine
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('answers the health metrics with definitions for the tenant, a team and a rep', async () => {
    const all = await json(await op(`/api/v1/insight/metrics${q}`));
    expect(all.period).toEqual({ from: '2026-03-02', to: '2026-03-08', timeZone: 'Asia/Shanghai' });
    expect(all.metrics.responseRate).toMatchObject({ value: 0.4, display: '40.0%', label: '首响率' });
    expect(all.metrics.completeness.definition).toContain('电话、单位、需求');
    const team = await json(await op(`/api/v1/insight/metrics${q}&team=${encodeURIComponent('华东')}`));
    expect(team.metrics.responseRate).toMatchObject({ numerator: 2, denominator: 3 });
    const rep = await json(await op(`/api/v1/insight/metrics${q}&rep=${f.r2.id}`));
    expect(rep.scope).toMatchObject({ kind: 'rep', label: '张销售' });
  });

  it('is for managers and admins: a rep is refused, a region manager sees their team only', async () => {
    const rep = await as(f.r1, `/api/v1/insight/metrics${q}`);
    expect(rep.status).toBe(403);
    const mine = await json(await as(f.manager, `/api/v1/insight/metrics${q}`));
    expect(mine.scope).toMatchObject({ kind: 'team', key: '华东' });
    expect(mine.metrics.responseRate).toMatchObject({ numerator: 2, denominator: 3 });
    expect((await as(f.manager, `/api/v1/insight/metrics${q}&team=${encodeURIComponent('华南')}`)).status).toBe(403);
    expect((await as(f.manager, `/api/v1/insight/metrics${q}&rep=${f.r2.id}`)).status).toBe(403);
    const admin = await json(await as(f.admin, `/api/v1/insight/dashboard${q}`));
    expect(admin.scope.kind).toBe('tenant');
    expect(admin.funnel.bySource[0]).toMatchObject({ source: '展会', costPerLead: 1200 });
    expect(admin.heatmaps.assignment).toHaveLength(4);
  });

  it('rejects bad periods and unknown parameters', async () => {
    for (const bad of ['?from=2026-02-30', '?from=2026-03-09&to=2026-03-08', '?from=2024-01-01&to=2026-03-08', '?foo=1', '?rep=nope']) {
      const res = await op(`/api/v1/insight/metrics${bad}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(await json(res))).not.toContain('nope');
    }
  });

  it('exports any table as CSV with generated-at, period and definitions', async () => {
    const res = await op(`/api/v1/insight/export${q}&table=sources`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    expect(text).toContain(`# generated_at ${NOW.toISOString()} by operator`);
    expect(text).toContain('# 来源漏斗: 期间内新建的线索');
    expect(text).toContain('展会,,3,2,0,0,1,0,3600,1200');
    const health = await (await op(`/api/v1/insight/export${q}&table=health`)).text();
    expect(health).toContain('responseRate,首响率,0.4,40.0%,0.8,true,2,5');
    expect((await op(`/api/v1/insight/export${q}&table=secrets`)).status).toBe(400);
  });

  it('takes spend and settings from an admin only, validated', async () => {
    const put = await op('/api/v1/insight/spend', { method: 'PUT', body: { entries: [{ day: '2026-03-04', source: '老客转介', amount: 500 }] } });
    expect(put.status).toBe(200);
    const all = await json(await op(`/api/v1/insight/dashboard${q}`));
    expect(all.funnel.bySource.find((x: { source: string }) => x.source === '老客转介')).toMatchObject({ spend: 500, costPerLead: 500 });
    expect((await op('/api/v1/insight/spend', { method: 'PUT', body: { entries: [{ day: '2026-03-04', source: 'x', amount: -1 }] } })).status).toBe(400);
    const s = await op('/api/v1/settings/insight', { method: 'PUT', body: { responseMinutes: 60, alertAfterDays: 2 } });
    expect(await json(s)).toMatchObject({ responseMinutes: 60, thresholds: { completeness: 0.92 } });
    const m = await json(await op(`/api/v1/insight/metrics${q}`));
    expect(m.metrics.responseRate).toMatchObject({ numerator: 3, denominator: 5 }); // 45 minutes now counts
    expect((await op('/api/v1/settings/insight', { method: 'PUT', body: { responseMinutes: 0 } })).status).toBe(400);
    const mgr = h.runtime.auth.sessions.issue('acme', f.manager.id);
    const denied = await fetch(`${h.server.url}/api/v1/settings/insight`, { method: 'PUT', headers: { cookie: `kelu_session=${mgr.value}`, 'x-kelu-csrf': mgr.claims.csrf, 'content-type': 'application/json' }, body: '{}' });
    expect(denied.status).toBe(403);
  });
});
