import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { seedTenant, startHarness, type Harness } from '../helpers/harness.js';
import { fuzzInput, judge, ROUTES, type FuzzInput } from './edges.js';

// A small budget of the edge fuzzer (bench/fuzz.bench.ts runs 100,000 per route): every answer is a
// 200 for a genuine event or a 4xx with a code, the server stays up, and only genuine events are stored.
const PER_ROUTE = 150;
const SEED = Number(process.env.KELU_FUZZ_SEED ?? 20261202);

describe('the callback routes under random and mutated input', () => {
  let t: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    await seedTenant(t.database);
    // Workers off: the edges are under test, not extraction; stored rows stay as they arrived.
    h = await startHarness(t.database, { startWorkers: false });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it.each(ROUTES)('%s: a 200 or a coded 4xx for every input, and nothing stored but genuine events', async (route) => {
    const failures: string[] = [];
    const countRows = async () => (await t.database.query<{ n: number }>(sql`select count(*)::int as n from inbox_events`))[0]!.n;
    const before = await countRows();
    const accepted = new Set<number>();
    const genuine: string[] = [];
    for (let i = 0; i < PER_ROUTE; i++) {
      const input: FuzzInput = fuzzInput(route, SEED, i, i % 10 === 0);
      const res = await fetch(`${h.server.url}${input.path}`, { method: 'POST', headers: input.headers, body: input.body });
      const text = await res.text();
      const v = judge(input, res.status, text);
      if (!v.ok) failures.push(`#${i} ${input.how}: ${v.why}`);
      if (res.status === 200) accepted.add(i);
      if (input.eventId) genuine.push(input.eventId);
    }
    if (failures.length) console.log(h.logs.filter((l) => /"level":(50|60)/.test(l)).slice(-3).join('\n').slice(0, 3000));
    expect(failures).toEqual([]);
    expect((await fetch(`${h.server.url}/readyz`)).status).toBe(200);

    const prefix = route === 'wecom' ? 'fz-w-' : 'fz-r-';
    const rows = await t.database.query<{ event_id: string }>(sql`select event_id from inbox_events where event_id like ${`%${prefix}%`}`);
    const stored = new Set(rows.map((r) => r.event_id));
    // Each genuine event is stored once; whatever else was stored came with a 200 (a body mutated
    // into another well-formed, correctly signed event), never from a refused request.
    for (const id of genuine) expect([...stored].filter((s) => s.endsWith(id))).toHaveLength(1);
    expect((await countRows()) - before).toBeLessThanOrEqual(accepted.size);
    if (route !== 'dingtalk-events') expect(genuine.length).toBeGreaterThan(0); // events: check_url only
  });
});
