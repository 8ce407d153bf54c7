import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { seedTenant, startHarness, type Harness } from '../helpers/harness.js';
import { json } from '../helpers/test-app.js';

const OPERATOR = 'harness-admin-token-0123';
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

describe.each(backends)('tracked links, behaviour and credit end to end on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  const op = (p: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${h.server.url}${p}`, { method: init.method ?? 'GET', headers: { authorization: `Bearer ${OPERATOR}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) }, body: init.body ? JSON.stringify(init.body) : undefined });
  let n = 0;
  // Each event from its own address (the app trusts X-Forwarded-For behind its proxy), unless a test picks one.
  const event = (body: unknown, ip = `198.51.100.${++n % 250}`) =>
    fetch(`${h.server.url}/t/e`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8', 'x-forwarded-for': ip }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await seedTenant(t.database);
    h = await startHarness(t.database, { startWorkers: false, limits: { eventsPerAddress: { limit: 5, windowSeconds: 60 }, clicksPerAddress: { limit: 4, windowSeconds: 60 } } });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('link -> click -> events -> a lead with the visitor id -> score -> won deal -> credit split and cost per won deal', async () => {
    const dy = await json(await op('/api/v1/tracking/links', { method: 'POST', body: { campaign: '春季DR', channel: '抖音', landingUrl: 'https://landing.example.com/dr' } }));
    const wx = await json(await op('/api/v1/tracking/links', { method: 'POST', body: { campaign: '春季DR', channel: '公众号', landingUrl: 'https://landing.example.com/dr' } }));
    expect(dy.url).toBe(`${h.server.url}/l/${dy.code}`);

    const click = await fetch(`${h.server.url}/l/${dy.code}`, { redirect: 'manual', headers: { referer: 'https://www.douyin.com/video/7?share_token=abc' } });
    expect(click.status).toBe(302);
    const landing = new URL(click.headers.get('location')!);
    expect(landing.origin + landing.pathname).toBe('https://landing.example.com/dr');
    expect(landing.searchParams.get('utm_source')).toBe('抖音');
    expect(landing.searchParams.get('utm_campaign')).toBe('春季DR');
    const vid = landing.searchParams.get('kelu_vid')!;
    expect(vid).toMatch(/^[\w-]{16,40}$/);
    expect(click.headers.get('set-cookie')).toContain(`kelu_rv=${vid}`);
    // The same browser (its cookie) clicking the other link is the same visitor.
    const again = await fetch(`${h.server.url}/l/${wx.code}`, { redirect: 'manual', headers: { cookie: `kelu_rv=${vid}` } });
    expect(new URL(again.headers.get('location')!).searchParams.get('kelu_vid')).toBe(vid);
    // ...and back through Douyin: the last link decides where the next points go.
    await fetch(`${h.server.url}/l/${dy.code}`, { redirect: 'manual', headers: { cookie: `kelu_rv=${vid}` } });

    const { publicKey } = await json(await op('/api/v1/settings/tracking'));
    for (const [e, id] of [['video', 'intro.mp4'], ['download', '/brochure.pdf'], ['demo', 'booking']]) {
      const r = await event({ k: publicKey, v: vid, e, id });
      expect(r.status).toBe(201);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
    }
    expect((await json(await event({ k: publicKey, v: vid, e: 'video', id: 'intro.mp4' })))).toEqual({ stored: false });

    // A form key, as the landing page's back end uses it.
    const { formKey } = await json(await op('/api/v1/settings/form-key', { method: 'POST' }));
    const lead = await fetch(`${h.server.url}/api/v1/leads`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-kelu-form-key': formKey }, body: JSON.stringify({ name: '孙主任', phone: '13812345678', company: '上海市第六人民医院', visitorId: vid }) });
    expect(lead.status).toBe(201);
    const { customerId, leadId } = await json(lead);
    const l = await json(await op(`/api/v1/leads/${leadId}`));
    expect(l).toMatchObject({ sourceChannel: '抖音', utm: { campaign: '春季DR', source: '抖音' } });
    let tp = await json(await op(`/api/v1/customers/${customerId}/touchpoints`));
    expect(tp.score).toBe(8);
    expect(tp.events.map((e: { kind: string }) => e.kind)).toEqual(['video', 'download', 'demo']);

    // Known now: a later visit through the WeChat article adds at once.
    await fetch(`${h.server.url}/l/${wx.code}`, { redirect: 'manual', headers: { cookie: `kelu_rv=${vid}` } });
    expect((await json(await event({ k: publicKey, v: vid, e: 'demo', id: 'second-demo' })))).toEqual({ stored: true, points: 5 });
    tp = await json(await op(`/api/v1/customers/${customerId}/touchpoints`));
    expect(tp.score).toBe(13);

    expect((await op('/api/v1/insight/spend', { method: 'PUT', body: { entries: [{ day: today(), source: '抖音', campaign: '春季DR', amount: 3900 }, { day: today(), source: '公众号', campaign: '春季DR', amount: 500 }] } })).status).toBe(200);
    const won = await op(`/api/v1/customers/${customerId}/stage`, { method: 'POST', body: { stage: 'won', reason: '中标', deal: { amount: 520_000 } } });
    expect(won.status).toBe(200);
    tp = await json(await op(`/api/v1/customers/${customerId}/touchpoints`));
    expect(tp.credits.map((c: Record<string, unknown>) => [c.channel, c.points, c.share, c.amount])).toEqual([['抖音', 8, 0.6154, 320_000], ['公众号', 5, 0.3846, 200_000]]);

    const d = await json(await op(`/api/v1/insight/dashboard?from=${today()}&to=${today()}`));
    const src = (s: string) => d.funnel.bySource.find((x: { source: string }) => x.source === s);
    expect(src('抖音')).toMatchObject({ leads: 1, won: 1, spend: 3900, costPerLead: 3900, costPerWon: 3900, credit: 0.6154, costPerCredit: 6337.34 });
    expect(src('公众号')).toMatchObject({ leads: 0, won: 0, spend: 500, costPerWon: null, credit: 0.3846, costPerCredit: 1300.05 });
    expect(d.funnel.definitions.costPerWon.label).toBe('单个成交成本');
    const csv = await (await op(`/api/v1/insight/export?table=sources&from=${today()}&to=${today()}`)).text();
    expect(csv).toContain('cost_per_won,credited_won,cost_per_credited_won');
    const [clicks] = await t.database.query<{ n: number; hosts: string[] }>(sql`select count(*)::int as n, array_agg(distinct referrer_host) filter (where referrer_host is not null) as hosts from link_clicks`);
    expect(clicks).toEqual({ n: 4, hosts: ['www.douyin.com'] });
    const links = await json(await op('/api/v1/tracking/links'));
    expect(links.items.find((x: { code: string }) => x.code === dy.code)).toMatchObject({ clicks: 2, visitors: 1, customers: 1, points: 8 });
  });

  it('refuses bad events with a code and writes nothing; limits events per address and clicks per address', async () => {
    const { publicKey } = await json(await op('/api/v1/settings/tracking'));
    const before = await t.database.query<{ n: number }>(sql`select count(*)::int as n from behaviour_events`);
    const cases: [unknown, number, string][] = [
      ['not json', 400, 'malformed_json'],
      [{ k: publicKey, v: 'short', e: 'video' }, 400, 'invalid_event'],
      [{ k: publicKey, v: 'visitor-cccccccccccc', e: 'purchase' }, 400, 'unknown_behaviour'],
      [{ k: 'pk_not_a_real_key', v: 'visitor-cccccccccccc', e: 'video' }, 400, 'unknown_key'],
      [{ k: publicKey, v: 'visitor-cccccccccccc', e: 'video', phone: '13812345678' }, 400, 'invalid_event'],
      [{ k: publicKey, v: 'visitor-cccccccccccc', e: 'video', id: 'x'.repeat(2000) }, 413, 'payload_too_large'],
    ];
    for (const [body, status, code] of cases) {
      const r = await event(body);
      expect([r.status, (await json(r)).error.code]).toEqual([status, code]);
    }
    expect(await t.database.query(sql`select count(*)::int as n from behaviour_events`)).toEqual(before);

    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await event({ k: publicKey, v: 'visitor-dddddddddddd', e: 'download', id: `f${i}` }, '203.0.113.9')).status);
    expect(codes).toEqual([201, 201, 201, 201, 201, 429]);

    const link = await json(await op('/api/v1/tracking/links', { method: 'POST', body: { campaign: 'x', channel: '短信', landingUrl: 'https://landing.example.com/' } }));
    const clicks: number[] = [];
    for (let i = 0; i < 5; i++) clicks.push((await fetch(`${h.server.url}/l/${link.code}`, { redirect: 'manual', headers: { 'x-forwarded-for': '203.0.113.10' } })).status);
    expect(clicks).toEqual([302, 302, 302, 302, 429]);
    expect((await fetch(`${h.server.url}/l/nosuchcode`, { redirect: 'manual', headers: { 'x-forwarded-for': '203.0.113.11' } })).status).toBe(404);
    expect((await op('/api/v1/tracking/links', { method: 'POST', body: { campaign: 'x', channel: 'y', landingUrl: 'javascript:alert(1)' } })).status).toBe(400);
  });

  it('serves a small script and changes points per tenant', async () => {
    const js = await fetch(`${h.server.url}/t.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
    const text = await js.text();
    expect(Buffer.byteLength(text)).toBeLessThan(1600);
    expect(text).toContain('/t/e');
    const put = await json(await op('/api/v1/settings/tracking', { method: 'PUT', body: { points: { video: 1.5, download: 2, demo: 10 } } }));
    expect(put.points).toEqual({ video: 1.5, download: 2, demo: 10 });
    expect(put.snippet).toContain(`data-key="${put.publicKey}"`);
    expect((await op('/api/v1/settings/tracking', { method: 'PUT', body: { points: { video: -1, download: 2, demo: 10 } } })).status).toBe(400);
    const rotated = await json(await op('/api/v1/settings/tracking/key', { method: 'POST' }));
    expect(rotated.publicKey).not.toBe(put.publicKey);
    expect((await json(await event({ k: put.publicKey, v: 'visitor-eeeeeeeeeeee', e: 'video' }))).error.code).toBe('unknown_key');
    expect((await event({ k: rotated.publicKey, v: 'visitor-eeeeeeeeeeee', e: 'video' })).status).toBe(201);
  });
});
