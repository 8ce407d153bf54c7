import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, textIn, countOf } from '../helpers/browser.js';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { seedDemoTenant } from '../../src/app/bootstrap.js';
import { customers } from '../../src/db/schema.js';
import { xlsxBuffer } from '../crm/imports/fixtures.js';

const SHOTS = path.resolve('test-output/screenshots');
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(SHOTS);
});
afterAll(async () => {
  await browser?.close();
});

describe.each(backends)('the import and export page in Chromium on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${backend}-imports-${name}.png`), fullPage: true });

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await seedDemoTenant(t.database, 'demo');
    h = await startHarness(t.database, { startWorkers: true });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  async function signInAdmin(width: number) {
    const ctx = await browser.newContext({ viewport: { width, height: 800 }, acceptDownloads: true });
    const page = await ctx.newPage();
    await page.goto(`${h.server.url}/signin?tenant=demo`);
    await page.locator('#users li', { hasText: '王管理' }).getByRole('button', { name: '登录' }).click();
    await page.waitForURL('**/admin**');
    await page.goto(`${h.server.url}/admin/imports`);
    return { ctx, page };
  }

  for (const [label, width] of [['phone', 375], ['desktop', 1280]] as const) {
    it(`uploads, confirms the mapping after a preview, follows the progress bar to the end and downloads the report and an export (${label})`, async () => {
      const { ctx, page } = await signInAdmin(width);
      const rows: unknown[][] = [['联系人', '客户电话', '医院', '科室']];
      for (let i = 0; i < 12; i++) rows.push([i === 3 ? '' : `页面客户${label}${i}`, i === 5 ? '12345' : `1370000${label === 'phone' ? 1 : 2}${String(i).padStart(3, '0')}`, `医院${i}`, `科室${i}`]);
      await page.locator('#file').setInputFiles({ name: `名单-${label}.xlsx`, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await xlsxBuffer(rows) });
      await page.locator('#upload').click();
      await countOf(page.locator('#mapping-rows tr'), 4);
      // The phone run chose 不导入 for 科室; the desktop run's file has the same headers, so that choice comes back.
      const remembered = label === 'desktop';
      expect(await page.locator('#mapping-rows select').evaluateAll((s) => s.map((x) => (x as unknown as { value: string }).value))).toEqual(['name', 'phone', 'company', remembered ? 'skip' : 'custom']);
      if (remembered) await textIn(page.locator('#mapping-rows tr').nth(3), '上次的选择');
      await textIn(page.locator('#preview-rows'), '没有姓名');
      await textIn(page.locator('#preview-rows tr.rejected'), '无法识别');
      await page.locator('#mapping-rows select').nth(3).selectOption('skip');
      await textIn(page.locator('#preview-sum'), '1 行会被拒绝');
      await shot(page, `preview-${label}`);
      await page.locator('#start').click();
      await textIn(page.locator('#progress-text'), '完成');
      await textIn(page.locator('#progress-text'), '新建 11');
      expect(await page.locator('#bar').evaluate((b) => (b as unknown as { value: number }).value)).toBe(12);
      await shot(page, `done-${label}`);
      const [report] = await Promise.all([page.waitForEvent('download'), page.locator('#report-link').click()]);
      expect(report.suggestedFilename()).toMatch(/^import-report-.*\.csv$/);
      const [{ n }] = [{ n: (await t.database.db.select().from(customers).where(and(eq(customers.tenantId, 'demo'), eq(customers.company, '医院0')))).length }];
      expect(n).toBeGreaterThanOrEqual(1);
      const c = (await t.database.db.select().from(customers).where(and(eq(customers.tenantId, 'demo'), eq(customers.name, `页面客户${label}0`))))[0]!;
      expect(c.customFields).toEqual({});

      await page.locator('#x-what').selectOption('leads');
      await page.locator('#x-format').selectOption('csv');
      expect(await page.locator('#x-go').getAttribute('href')).toBe('/api/v1/export/leads?format=csv');
      const [exp] = await Promise.all([page.waitForEvent('download'), page.locator('#x-go').click()]);
      expect(exp.suggestedFilename()).toMatch(/^leads-\d{4}-\d{2}-\d{2}\.csv$/);
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(Number(overflow)).toBeLessThanOrEqual(0);
      await shot(page, `export-${label}`);
      await ctx.close();
    });
  }

  it('shows a refused file\'s message and code on the page', async () => {
    const { ctx, page } = await signInAdmin(375);
    await page.locator('#file').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex') });
    await page.locator('#upload').click();
    await textIn(page.locator('#upload-err'), '这不是表格文件');
    await textIn(page.locator('#upload-err'), 'not_spreadsheet');
    await shot(page, 'refused-phone');
    await ctx.close();
  });
});
