// npm run bench:sidebar — the sidebar's weight and speed with 200,000 interactions in the tenant:
// the page's JS and CSS gzipped, a warm open in Chromium on loopback (navigation to the panel
// shown), and p50/p95 of each sidebar API call, on PGlite and on the PostgreSQL server.
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { chromium } from 'playwright-core';
import { openTestDatabase, type Backend } from '../test/helpers/test-db.js';
import { seedTenant, startHarness } from '../test/helpers/harness.js';
import { customers, interactions } from '../src/db/schema.js';
import { createQuickReply } from '../src/crm/quick-replies.repo.js';
import { sidebarBundle } from '../src/sidebar/page-bundle.js';
import { fmt, summarize } from './stats.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 2000);
const PER_CUSTOMER = Number(process.env.BENCH_PER_CUSTOMER ?? 100);
const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const OPENS = Number(process.env.BENCH_OPENS ?? 20);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',') as Backend[];
const BATCH = 1000;

async function bytes(): Promise<void> {
  const js = await sidebarBundle();
  const { readFileSync } = await import('node:fs');
  const css = ['views/kelu.css', 'views/sidebar.css'].map((f) => gzipSync(readFileSync(f)).length).reduce((a, b) => a + b, 0);
  console.log(`page weight: JS ${fmt(js.js.length / 1024)} KB (${fmt(js.gzipBytes / 1024)} KB gzipped) + CSS ${fmt(css / 1024)} KB gzipped = ${fmt((js.gzipBytes + css) / 1024)} KB gzipped (bar: 150 KB)`);
}

async function run(backend: Backend): Promise<void> {
  const t = await openTestDatabase(backend);
  const { db } = t.database;
  const { li, zhang, manager } = await seedTenant(t.database);
  await createQuickReply(db, 'default', { title: '发资料', body: '{客户称呼}您好，{产品}的资料已发您。' }, 'bench');
  const owners = [li.id, zhang.id];
  const ids: string[] = [];
  for (let i = 0; i < CUSTOMERS; i += BATCH) {
    const rows = await db.insert(customers).values(Array.from({ length: Math.min(BATCH, CUSTOMERS - i) }, (_, k) => ({
      tenantId: 'default', name: `客户${i + k}`, company: `第${(i + k) % 97}医院`, ownerId: owners[(i + k) % 2]!,
    }))).returning({ id: customers.id });
    ids.push(...rows.map((r) => r.id));
  }
  const total = CUSTOMERS * PER_CUSTOMER;
  const since = Date.now() - 12 * 7 * 86400_000;
  const t0 = performance.now();
  for (let n = 0; n < total; n += BATCH) {
    await db.insert(interactions).values(Array.from({ length: Math.min(BATCH, total - n) }, (_, k) => {
      const idx = n + k;
      return {
        tenantId: 'default', customerId: ids[idx % CUSTOMERS]!, channel: 'chat', direction: (idx % 3 === 0 ? 'out' : 'in') as 'in' | 'out',
        text: '您好，想了解一下便携式血糖仪的报价，电话13812345678', platform: 'bench', platformMessageId: `m${idx}`,
        occurredAt: new Date(since + ((idx * 7919) % (12 * 7 * 86400)) * 1000),
      };
    }));
  }
  await t.database.query(sql`analyze`);
  console.log(`${backend}: ${total.toLocaleString()} interactions for ${CUSTOMERS.toLocaleString()} customers loaded in ${fmt((performance.now() - t0) / 1000)} s`);

  const h = await startHarness(t.database, { startWorkers: false });
  try {
    const cid = ids[0]!; // li's
    const session = (u: { tenantId: string; id: string }) => {
      const s = h.runtime.auth.sessions.issue(u.tenantId, u.id);
      return { cookie: `kelu_session=${s.value}`, 'x-kelu-csrf': s.claims.csrf };
    };
    const rep = session(li);
    const mgr = session(manager);
    const page = `${h.server.url}/sidebar?tenant=default`;
    const calls: [string, string, Record<string, string>, string?, unknown?][] = [
      ['panel', `/api/v1/sidebar/customers/${cid}`, rep],
      ['heat 4 weeks', `/api/v1/sidebar/customers/${cid}/heat?weeks=4`, rep],
      ['heat 12 weeks', `/api/v1/sidebar/customers/${cid}/heat?weeks=12`, rep],
      ['heat cell', `/api/v1/sidebar/customers/${cid}/heat/cell?weeks=12&weekday=3&hour=10`, rep],
      ['replies', `/api/v1/sidebar/customers/${cid}/replies`, rep],
      ['search', `/api/v1/sidebar/search?q=${encodeURIComponent('客户12')}`, rep],
      ['signature', `/api/v1/sidebar/signature?platform=wecom&url=${encodeURIComponent(page)}`, rep],
      ['preview', `/api/v1/sidebar/customers/${cid}/preview`, rep, 'POST', { text: '李主任下周三下午3点要看血糖仪，电话13812345678，预算20万' }],
      ['team heat 4 weeks (manager)', '/api/v1/sidebar/team/heat?weeks=4', mgr],
      ['team heat 12 weeks (manager)', '/api/v1/sidebar/team/heat?weeks=12', mgr],
    ];
    for (const [name, path, headers, method, body] of calls) {
      const lat: number[] = [];
      for (let i = 0; i < CALLS + 10; i++) {
        const s = performance.now();
        const r = await fetch(`${h.server.url}${path}`, { method: method ?? 'GET', headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
        await r.arrayBuffer();
        if (!r.ok) throw new Error(`${name}: ${r.status}`);
        if (i >= 10) lat.push(performance.now() - s); // the first calls warm caches and plans
      }
      const l = summarize(lat);
      console.log(`${backend}: ${name.padEnd(30)} p50 ${fmt(l.p50)} ms  p95 ${fmt(l.p95)} ms  (n=${l.n})`);
    }

    const browser = await chromium.launch({ executablePath: process.env.KELU_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
    try {
      const ctx = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
      const s = h.runtime.auth.sessions.issue('default', li.id);
      await ctx.addCookies([{ name: 'kelu_session', value: s.value, url: h.server.url }]);
      const tab = await ctx.newPage();
      const open = async () => {
        const start = performance.now();
        await tab.goto(`${page}&customer=${cid}`);
        await tab.locator('#tab-info .field').first().waitFor();
        return performance.now() - start;
      };
      await open(); // the cold one: browser cache and server plans
      const times: number[] = [];
      for (let i = 0; i < OPENS; i++) times.push(await open());
      const o = summarize(times);
      console.log(`${backend}: warm open (navigation → customer panel shown, 375 px) p50 ${fmt(o.p50)} ms  p95 ${fmt(o.p95)} ms  max ${fmt(o.max)} ms  (n=${o.n}; bar: 1,000 ms)`);
    } finally {
      await browser.close();
    }
  } finally {
    await h.close();
    await t.drop();
  }
}

await bytes();
for (const b of BACKENDS) await run(b);
