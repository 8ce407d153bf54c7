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
  let ticks = 0;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await seedTenant(t.database);
    // yieldMaxMs is short: the warm-up hold is not the bounded pause of a warm process. The load
    // reading is connected by the tests below, as main.ts does once the server listens.
    h = await startHarness(t.database, { env: { KELU_WARMUP_MS: '60000' }, uptimeMs: () => (ticks++, uptime), worker: { yieldMaxMs: 50 } });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  const status = async (msgId: string) => (await inboxRows(t.database)).find((r) => r.event_id === msgId)?.status;
  /** The workers asked 100 more times whether they are warm (20 ms apart per loop), and the row is still untouched. */
  const stillPendingAfter100Looks = async (msgId: string) => {
    const seen = ticks;
    await waitFor(async () => ticks >= seen + 100, 10_000, 'workers asking whether they are warm');
    expect(await status(msgId)).toBe('pending');
  };

  it('holds every claim before the server\'s load reading is connected (the server is still starting)', async () => {
    expect(h.runtime.warming()).toBe(true);
    const res = await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: '还没连上', msgId: '9300' })));
    expect(res.status).toBe(200);
    await stillPendingAfter100Looks('9300');
  });

  it('holds for 500 ms after it is connected, even with nothing in flight, then processes', async () => {
    h.runtime.setLoadGauge(() => {
      consulted++;
      return pressure;
    });
    pressure = 0;
    await stillPendingAfter100Looks('9300');
    uptime = 499;
    await stillPendingAfter100Looks('9300');
    uptime = 500;
    await waitFor(async () => (await status('9300')) === 'done', 10_000, 'processing once the quiet half second is over');
    expect(h.runtime.warming()).toBe(true);
  });

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
