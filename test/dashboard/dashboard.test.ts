import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { json } from '../helpers/test-app.js';
import { NOW, seedFixture, type Fixture } from '../crm/insight/fixture.js';
import type { User } from '../../src/crm/users.repo.js';

const SHOTS = path.resolve('test-output/screenshots');
const OPERATOR = 'harness-admin-token-0123';
const Q = 'from=2026-03-02&to=2026-03-08';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(SHOTS);
});
afterAll(async () => {
  await browser?.close();
});

describe.each(backends)('the dashboard in Chromium on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  let f: Fixture;
  const api = async (p: string) => json(await fetch(`${h.server.url}${p}`, { headers: { authorization: `Bearer ${OPERATOR}`, 'x-kelu-tenant': 'acme' } }));
  const signedIn = async (u: User, viewport: { width: number; height: number }) => {
    const ctx = await browser.newContext({ viewport });
    const s = h.runtime.auth.sessions.issue('acme', u.id);
    await ctx.addCookies([{ name: 'kelu_session', value: s.value, url: h.server.url }]);
    return ctx;
  };

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    f = await seedFixture(t.database);
    h = await startHarness(t.database, { startWorkers: false, clock: () => NOW });
    const put = await fetch(`${h.server.url}/api/v1/insight/spend`, { method: 'PUT', headers: { authorization: `Bearer ${OPERATOR}`, 'x-kelu-tenant': 'acme', 'content-type': 'application/json' }, body: JSON.stringify({ entries: [{ day: '2026-03-04', source: '老客转介', amount: 800 }] }) });
    expect(put.status).toBe(200);
  }, 120_000); // opening a database and a server is slow on a loaded machine
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 375, height: 740 }]] as const) {
    it(`shows an admin the metrics, funnel, heat maps and alerts exactly as the API answers (${label})`, async () => {
      const ctx = await signedIn(f.admin, viewport);
      const page = await ctx.newPage();
      const problems: string[] = [];
      // Console errors (CSP violations among them) and failed loads, except the browser's own favicon probe.
      page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text()); });
      page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`); });
      page.on('pageerror', (e) => problems.push(String(e)));
      await page.goto(`${h.server.url}/dashboard?${Q}`);
      await page.waitForSelector('body[data-loaded]');
      const d = await api(`/api/v1/insight/dashboard?${Q}`);
      for (const m of Object.values(d.metrics) as { key: string; display: string; definition: string; broken: boolean }[]) {
        const tile = page.locator(`[data-metric=${m.key}]`);
        expect(await tile.locator('.v').innerText()).toBe(m.display);
        expect(await tile.innerText()).toContain(m.definition);
        expect(await tile.getAttribute('class')).toBe(m.broken ? 'tile bad' : 'tile');
      }
      expect(await page.locator('[data-metric=responseRate] .v').innerText()).toBe('40.0%');
      const sources = await page.locator('#sources tr').allInnerTexts();
      expect(sources).toHaveLength(d.funnel.bySource.length);
      expect(sources[0]!.split('\t')).toEqual(['展会', '3', '2', '0', '0', '1', '0.0%', '¥3,600', '¥1,200', '—', '0']);
      expect(sources.find((s) => s.startsWith('老客转介'))!.split('\t')).toEqual(['老客转介', '1', '1', '1', '1', '0', '100.0%', '¥800', '¥800', '¥800', '0']);
      expect(await page.locator('[data-def=funnel]').innerText()).toBe(d.funnel.definitions.funnel.definition);
      // Charts drew: ECharts puts a canvas in each container.
      for (const id of ['funnel-chart', 'assign-chart', 'response-chart']) await page.locator(`#${id} canvas`).first().waitFor();
      expect(await page.locator('#risk-rows tr').count()).toBe(d.atRisk.length);
      const href = await page.locator('[data-export=sources]').first().getAttribute('href');
      expect(href).toBe(`/api/v1/insight/export?${Q}&table=sources`);
      // The export works with the page's session (a cookie, as a click would send it).
      const csv = await page.evaluate(async (u) => (await fetch(u)).text(), href!);
      expect(csv).toContain('# generated_at');
      expect(csv).toContain('展会,,3,2,0,0,1,0,3600,1200');
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(Number(overflow)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(SHOTS, `${backend}-dashboard-${label}.png`), fullPage: true });
      await page.locator('section', { has: page.locator('#funnel-chart') }).screenshot({ path: path.join(SHOTS, `${backend}-dashboard-funnel-${label}.png`) });
      await page.locator('section', { has: page.locator('#assign-chart') }).screenshot({ path: path.join(SHOTS, `${backend}-dashboard-heat-${label}.png`) });
      expect(problems).toEqual([]);
      await ctx.close();
    }, 60_000);
  }

  it('gives a region manager their team, lets them pick a rep, and refuses a rep', async () => {
    const ctx = await signedIn(f.manager, { width: 375, height: 740 });
    const page = await ctx.newPage();
    await page.goto(`${h.server.url}/dashboard?${Q}`);
    await page.waitForSelector('body[data-loaded]');
    expect(await page.locator('#meta').innerText()).toContain('团队 华东');
    expect(await page.locator('[data-metric=responseRate] .v').innerText()).toBe('66.7%');
    expect(await page.locator('#scope option').allInnerTexts()).toEqual(['我的团队（华东）', '销售：李销售']);
    const before = await page.locator('body').getAttribute('data-loaded');
    await page.locator('#scope').selectOption(`rep:${f.r1.id}`);
    await page.click('#filters button[type=submit]');
    await waitFor(async () => (await page.locator('#meta').innerText()).includes('销售 李销售'), 10_000, 'rep scope');
    const rep = await api(`/api/v1/insight/metrics?${Q}&rep=${f.r1.id}`);
    expect(await page.locator('[data-metric=responseRate] .v').innerText()).toBe(rep.metrics.responseRate.display);
    expect(page.url()).toContain(`rep=${f.r1.id}`);
    expect(before).toBeTruthy();
    await page.screenshot({ path: path.join(SHOTS, `${backend}-dashboard-manager-phone.png`), fullPage: true });
    await ctx.close();

    const repCtx = await signedIn(f.r1, { width: 375, height: 740 });
    const rp = await repCtx.newPage();
    const res = await rp.goto(`${h.server.url}/dashboard`);
    expect(res?.status()).toBe(403);
    await repCtx.close();
    const anon = await (await browser.newContext()).newPage();
    await anon.goto(`${h.server.url}/dashboard`);
    expect(anon.url()).toContain('/signin');
    await anon.context().close();
  }, 60_000);

  it('shows a manager the thresholds and rules read-only, and lets an admin switch a rule on and move a threshold', async () => {
    const mctx = await signedIn(f.manager, { width: 375, height: 740 });
    const mp = await mctx.newPage();
    await mp.goto(`${h.server.url}/dashboard?${Q}`);
    await mp.locator('#rules [data-rule]').first().waitFor();
    expect(await mp.locator('#settings-note').innerText()).toContain('只有管理员可以修改');
    expect(await mp.locator('#rules-save').isVisible()).toBe(false);
    expect(await mp.locator('#th-completeness').isDisabled()).toBe(true);
    expect(await mp.locator('[data-rule=silence] input').isDisabled()).toBe(true);
    await mctx.close();

    for (const [label, viewport] of [['phone', { width: 375, height: 740 }], ['desktop', { width: 1280, height: 900 }]] as const) {
      const ctx = await signedIn(f.admin, viewport);
      const page = await ctx.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(String(e)));
      await page.goto(`${h.server.url}/dashboard?${Q}`);
      await page.waitForSelector('body[data-loaded]');
      await page.locator('#rules [data-rule]').first().waitFor();
      const api0 = await api('/api/v1/settings/automation');
      // Every rule listed with its name and what it does, in the state the API holds.
      expect(await page.locator('#rules [data-rule]').count()).toBe(api0.rules.length);
      for (const r of api0.rules as { id: string; enabled: boolean }[]) expect(await page.locator(`[data-rule=${r.id}] input`).isChecked()).toBe(r.enabled);
      expect(await page.locator('[data-rule=silence]').innerText()).toContain('客户 14 天没有往来');
      expect(await page.locator('#th-completeness').inputValue()).toBe(label === 'phone' ? '92' : '40');
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(Number(overflow)).toBeLessThanOrEqual(0);
      if (label === 'phone') {
        // Switch the silence rule on and save: the API stores it (stamped enabledAt), nothing else changes.
        await page.locator('[data-rule=silence] input').check();
        await page.click('#rules-save');
        await waitFor(async () => (await page.locator('#rules-status').innerText()) === '已保存', 10_000, 'rules saved');
        const api1 = await api('/api/v1/settings/automation');
        expect(api1.rules.find((r: { id: string }) => r.id === 'silence')).toMatchObject({ enabled: true, enabledAt: NOW.toISOString() });
        expect(api1.rules.filter((r: { enabled: boolean }) => r.enabled).map((r: { id: string }) => r.id)).toEqual(['silence']);
        // Completeness is 50% against 92%: broken. At a 40% threshold it is not, and the tile says so after the save.
        expect(await page.locator('[data-metric=completeness]').getAttribute('class')).toBe('tile bad');
        const loaded = await page.locator('body').getAttribute('data-loaded');
        await page.fill('#th-completeness', '40');
        await page.click('#thresholds button[type=submit]');
        await waitFor(async () => (await page.locator('#thresholds-status').innerText()) === '已保存', 10_000, 'thresholds saved');
        expect((await api('/api/v1/settings/insight')).thresholds.completeness).toBe(0.4);
        await waitFor(async () => (await page.locator('[data-metric=completeness]').getAttribute('class')) === 'tile', 10_000, 'tile redrawn');
        expect(await page.locator('[data-metric=completeness]').innerText()).toContain('阈值 40.0%');
        expect(loaded).toBeTruthy();
      } else {
        expect(await page.locator('[data-rule=silence] .on').innerText()).toBe('已开启');
      }
      await page.locator('#settings').screenshot({ path: path.join(SHOTS, `${backend}-dashboard-settings-${label}.png`) });
      expect(problems).toEqual([]);
      await ctx.close();
    }
  }, 90_000);
});
