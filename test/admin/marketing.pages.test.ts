import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import http from 'node:http';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { type Browser, type Page } from 'playwright-core';
import { launchBrowser, textIn, countOf } from '../helpers/browser.js';
import { openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { seedTenant, startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { createUser, type User } from '../../src/crm/users.repo.js';
import { douyinClue, douyinHeaders } from '../crm/intake/douyin.fixture.js';

const SHOTS = path.resolve('test-output/screenshots');
const OPERATOR = 'harness-admin-token-0123';

/** A landing page on its own origin: embeds Kelu's script; its back end forwards the form to POST /api/v1/leads. */
function landingServer(kelu: () => string, publicKey: () => string, formKey: () => string) {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/dr')) {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>移动DR</title>
<script src="${kelu()}/t.js" data-key="${publicKey()}" async></script></head><body><h1>移动DR 春季方案</h1>
<video data-kelu-id="intro" width="320" height="180"></video>
<p><a download href="/brochure.pdf" id="brochure">下载资料</a> <button data-kelu="demo" data-kelu-id="booking" id="demo">预约演示</button></p>
<form method="post" action="/submit"><input name="name" value="孙主任"><input name="phone" value="13812345678"><input type="hidden" name="kelu_vid"><button id="send">提交</button></form></body></html>`);
      return;
    }
    if (req.url === '/brochure.pdf') {
      res.setHeader('content-type', 'application/pdf');
      res.end('%PDF-1.4');
      return;
    }
    if (req.method === 'POST' && req.url === '/submit') {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', async () => {
        const f = new URLSearchParams(b);
        const r = await fetch(`${kelu()}/api/v1/leads`, {
          method: 'POST', headers: { 'content-type': 'application/json', 'x-kelu-form-key': formKey() },
          body: JSON.stringify({ name: f.get('name'), phone: f.get('phone'), visitorId: f.get('kelu_vid') || undefined }),
        });
        const j = (await r.json()) as { customerId?: string };
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(`<p id="done">提交成功 ${r.status} ${j.customerId ?? ''}</p>`);
      });
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  return { server, start: () => new Promise<string>((ok) => server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(server.address() as { port: number }).port}`))) };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(SHOTS);
});
afterAll(async () => {
  await browser?.close();
});

// The page flows run once, on PGlite: the storage paths under them are tested on both backends in test/api.
describe('tracked link, landing page and the marketing admin in Chromium', () => {
  let t: TestDatabase;
  let h: Harness;
  let admin: User;
  let landing: ReturnType<typeof landingServer>;
  let landingUrl = '';
  let pk = '';
  let fk = '';
  const op = (p: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${h.server.url}${p}`, { method: init.method ?? 'GET', headers: { authorization: `Bearer ${OPERATOR}`, ...(init.body ? { 'content-type': 'application/json' } : {}) }, body: init.body ? JSON.stringify(init.body) : undefined }).then((r) => r.json() as Promise<any>);
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `marketing-${name}.png`), fullPage: true });
  const asAdmin = async (viewport: { width: number; height: number }) => {
    const ctx = await browser.newContext({ viewport });
    const s = h.runtime.auth.sessions.issue('default', admin.id);
    await ctx.addCookies([{ name: 'kelu_session', value: s.value, url: h.server.url }]);
    return ctx;
  };

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    await seedTenant(t.database);
    admin = await createUser(t.database.db, 'default', { name: '周管理', role: 'admin' }, 'test');
    h = await startHarness(t.database, { startWorkers: false });
    landing = landingServer(() => h.server.url, () => pk, () => fk);
    landingUrl = await landing.start();
    pk = (await op('/api/v1/settings/tracking')).publicKey;
    fk = (await op('/api/v1/settings/form-key', { method: 'POST' })).formKey;
  }, 120_000);
  afterAll(async () => {
    await new Promise((ok) => landing?.server.close(ok));
    await h?.close();
    await t?.drop();
  });

  it('a visitor clicks the short link, watches, downloads, books a demo and leaves a phone: the customer scores 8', async () => {
    const link = await op('/api/v1/tracking/links', { method: 'POST', body: { campaign: '春季DR', channel: '抖音', landingUrl: `${landingUrl}/dr` } });
    const ctx = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const page = await ctx.newPage();
    await page.goto(link.url);
    expect(page.url()).toContain(`${landingUrl}/dr?`);
    expect(new URL(page.url()).searchParams.get('utm_source')).toBe('抖音');
    const vid = new URL(page.url()).searchParams.get('kelu_vid')!;
    await page.waitForFunction('window.kelu && window.kelu.vid');
    expect(await page.evaluate('window.kelu.vid')).toBe(vid);
    expect(await page.evaluate('document.cookie')).toContain(`kelu_vid=${vid}`);
    // A skip to 100 s is not watching; 61 s of playback is.
    await page.evaluate(`(() => { const v = document.querySelector('video'); let t = 0;
      Object.defineProperty(v, 'currentTime', { get: () => t });
      t = 100; v.dispatchEvent(new Event('timeupdate'));
      t = 0; v.dispatchEvent(new Event('timeupdate'));
      window.__watched = () => { for (let i = 1; i <= 61; i++) { t = i; v.dispatchEvent(new Event('timeupdate')); } }; })()`);
    const events = () => t.database.query<{ kind: string; points: number }>(sql`select kind, points from behaviour_events where visitor_id = ${vid} order by id`);
    expect(await events()).toEqual([]);
    await page.evaluate('window.__watched()');
    await page.click('#brochure');
    await page.click('#demo');
    await waitFor(async () => (await events()).length === 3, 20_000, 'three behaviour events');
    expect((await events()).map((e) => e.kind)).toEqual(['video', 'download', 'demo']);
    await shot(page, 'landing-phone');
    await page.click('#send');
    await textIn(page.locator('#done'), '提交成功 201');
    const customerId = (await page.locator('#done').innerText()).split(' ').pop()!;
    const tp = await op(`/api/v1/customers/${customerId}/touchpoints`);
    expect(tp.score).toBe(8);
    await ctx.close();
  });

  for (const [label, viewport] of [['phone', { width: 375, height: 740 }], ['desktop', { width: 1280, height: 800 }]] as const) {
    it(`shows links with clicks and customers, edits points, adds a Douyin source and resolves an unknown field (${label})`, async () => {
      const ctx = await asAdmin(viewport);
      const page = await ctx.newPage();
      await page.goto(`${h.server.url}/admin`);
      await page.click('a[href="/admin/marketing"]');
      await page.waitForURL('**/admin/marketing');
      const row = page.locator('#link-rows tr', { hasText: '春季DR' }).first();
      await textIn(row, '抖音');
      // clicks, visitors, customers, points (visitors and points are hidden at phone width)
      expect((await row.locator('td').allInnerTexts()).slice(2)).toEqual(['1', '1', '1', '8']);
      expect(await row.locator('td.opt').first().isVisible()).toBe(label === 'desktop');
      await page.fill('#l-campaign', `秋季展会-${label}`);
      await page.fill('#l-channel', '公众号');
      await page.fill('#l-url', `${landingUrl}/dr`);
      await page.click('#link-form button[type=submit]');
      await textIn(page.locator('#link-new'), '/l/');
      await textIn(page.locator('#link-rows'), `秋季展会-${label}`);
      await shot(page, `links-${label}`);
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      if (label === 'phone') expect(Number(overflow)).toBeLessThanOrEqual(0);

      await page.click('a[href="#points"]');
      await textIn(page.locator('#snippet'), `data-key="${pk}"`);
      await page.fill('#p-demo', label === 'phone' ? '6' : '5');
      await page.click('#points-form button[type=submit]');
      await textIn(page.locator('#points-ok'), '已保存');
      expect((await op('/api/v1/settings/tracking')).points.demo).toBe(label === 'phone' ? 6 : 5);
      await shot(page, `points-${label}`);

      await page.click('a[href="#sources"]');
      await page.locator('#s-preset option[value=douyin]').waitFor({ state: 'attached' });
      await page.fill('#s-name', `抖音-${label}`);
      await page.selectOption('#s-preset', 'douyin');
      await page.click('#source-form button[type=submit]');
      await textIn(page.locator('#source-new'), 'token = ');
      const shown = await page.locator('#source-new').innerText();
      const url = shown.match(/http\S+\/intake\/default\/douyin-[0-9a-f]{6}/)![0];
      const secrets = { key: shown.match(/key = (\S+)/)![1]!, token: shown.match(/token = (\S+)/)![1]! };
      const clue = douyinClue({ id: `p-${label}`, telphone: undefined, mobile_phone: '13655556666', name: '王科长' });
      delete clue.telphone;
      const pushed = await fetch(url, { method: 'POST', headers: douyinHeaders(clue, secrets), body: JSON.stringify(clue) });
      expect(await pushed.json()).toMatchObject({ captured: 1, unknownFields: ['mobile_phone'] });
      await page.reload();
      const notice = page.locator('#notice-rows tr', { hasText: 'mobile_phone' });
      await textIn(notice, '抖音-' + label);
      expect(await notice.locator('td').allTextContents()).toEqual([`抖音-${label}`, 'mobile_phone', '136****6666', '1', expect.stringContaining('选择含义')]);
      await textIn(page.locator('#source-rows'), '1 个新字段');
      await shot(page, `sources-notice-${label}`);
      await notice.locator('select').selectOption('phone');
      await countOf(page.locator('#notice-rows tr', { hasText: 'mobile_phone' }), 0);
      await waitFor(async () => page.locator('#notices-card').isHidden(), 20_000, 'the notice card to close');
      await shot(page, `sources-${label}`);
      await ctx.close();
    });
  }
});
