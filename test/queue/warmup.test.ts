import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { inboxRows, postWecom, seedTenant, startHarness, textMessageXml, waitFor, wecomCallback, type Harness } from '../helpers/harness.js';

// A fresh process (restart, deploy) acknowledges at full speed from its first second: during the
// warm-up its workers claim nothing while callbacks are being acknowledged (the warm instances take
// the backlog), and after it they work as usual.
describe.each(backends)('a fresh instance leaves processing to warm ones while it acknowledges, on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  let uptime = 0;
  let pressure = 0;
  let consulted = 0;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await seedTenant(t.database);
    // yieldMaxMs is short: the warm-up hold is not the bounded pause of a warm process.
    h = await startHarness(t.database, { env: { KELU_WARMUP_MS: '60000' }, uptimeMs: () => uptime, worker: { yieldMaxMs: 50 } });
    h.runtime.setLoadGauge(() => {
      consulted++;
      return pressure;
    });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  const status = async (msgId: string) => (await inboxRows(t.database)).find((r) => r.event_id === msgId)?.status;

  it('holds every claim while callbacks are in flight during the warm-up, however long', async () => {
    expect(h.runtime.warming()).toBe(true);
    pressure = 1; // one callback in flight lately: below the warm process's threshold of 24
    const res = await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: '刚启动', msgId: '9301' })));
    expect(res.status).toBe(200);
    // 100 looks at the gauge (20 ms apart per loop: far beyond yieldMaxMs) and the row is untouched.
    const seen = consulted;
    await waitFor(async () => consulted >= seen + 100, 10_000, 'workers holding on the gauge');
    expect(await status('9301')).toBe('pending');
  });

  it('processes during the warm-up when no callback is in flight', async () => {
    pressure = 0;
    await waitFor(async () => (await status('9301')) === 'done', 10_000, 'processing on a quiet fresh instance');
  });

  it('after the warm-up, a callback or two in flight no longer holds processing', async () => {
    pressure = 1;
    const res = await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: '预热之后', msgId: '9302' })));
    expect(res.status).toBe(200);
    const seen = consulted;
    await waitFor(async () => consulted >= seen + 20, 10_000, 'workers consulting the gauge');
    expect(await status('9302')).toBe('pending');
    uptime = 60_001;
    expect(h.runtime.warming()).toBe(false);
    await waitFor(async () => (await status('9302')) === 'done', 10_000, 'processing once warm');
    pressure = 0;
  });
});
