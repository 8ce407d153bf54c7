import http from 'node:http';
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { inboxRows, postWecom, seedTenant, startHarness, textMessageXml, waitFor, wecomCallback, type Harness } from '../helpers/harness.js';

describe.each(backends)('queue workers yield to acknowledgements on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  let pressure = 0;
  let consulted = 0; // how often a worker asked the gauge whether to pause
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await seedTenant(t.database);
    h = await startHarness(t.database, { worker: { yieldMaxMs: 1500 } });
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

  it('process at once when the server is quiet', async () => {
    pressure = 0;
    const res = await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: '你好', msgId: '9101' })));
    expect(res.status).toBe(200);
    await waitFor(async () => (await status('9101')) === 'done', 1000, 'processing without pressure');
  });

  it('pause while callbacks are busy, but never for longer than yieldMaxMs', async () => {
    pressure = 100;
    const res = await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: '在吗', msgId: '9102' })));
    expect(res.status).toBe(200);
    // The stored row's wake-up finds the workers pausing: 20 more looks at the gauge (20 ms each, at
    // least 200 ms of pausing across the loops) and the row has still not been touched.
    const seen = consulted;
    await waitFor(async () => consulted >= seen + 20, 5000, 'workers pausing on the gauge');
    expect(await status('9102')).toBe('pending');
    // Still busy: the bounded pause ends and the row is processed anyway.
    await waitFor(async () => (await status('9102')) === 'done', 5000, 'processing under sustained pressure');
    pressure = 0;
  });
});

describe('the server\'s pressure gauge', () => {
  it('reports the most requests in flight at once lately, after they are answered too', async () => {
    const t = await openTestDatabase('pglite');
    await seedTenant(t.database);
    const h = await startHarness(t.database, { startWorkers: false });
    try {
      expect(h.server.pressure()).toBe(0);
      // Eight callbacks whose bodies are still arriving: all eight are in flight at once.
      const url = new URL(h.server.url);
      const pending = Array.from({ length: 8 }, (_, i) => {
        const cb = wecomCallback(textMessageXml({ from: 'rep-li', text: '并发', msgId: `920${i}` }));
        const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: `/wecom/callback?${cb.query}`, headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(cb.body) } });
        const answered = new Promise<number>((res, rej) => req.on('response', (r) => { r.resume(); res(r.statusCode ?? 0); }).on('error', rej));
        req.write(cb.body.slice(0, 10));
        return { req, rest: cb.body.slice(10), answered };
      });
      await waitFor(async () => h.server.inFlight() === 8, 5000, 'eight requests in flight');
      for (const p of pending) p.req.end(p.rest);
      expect(await Promise.all(pending.map((p) => p.answered))).toEqual(Array(8).fill(200));
      expect(h.server.inFlight()).toBe(0);
      expect(h.server.pressure()).toBe(8);
    } finally {
      await h.close();
      await t.drop();
    }
  });
});
