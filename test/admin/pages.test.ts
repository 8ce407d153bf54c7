import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { launchBrowser, textIn, countOf } from '../helpers/browser.js';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { seedTenant, startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { seedDemoTenant } from '../../src/app/bootstrap.js';
import { createCustomer } from '../../src/crm/customers.repo.js';
import { createLead } from '../../src/crm/leads.repo.js';
import { createUser, listUsers } from '../../src/crm/users.repo.js';
import { removeChannelCredentials } from '../../src/crm/tenants.repo.js';

// Screenshots land here (gitignored) for a person to look at.
const SHOTS = path.resolve('test-output/screenshots');

// Waits on the page's state (polling a condition, never a fixed sleep).
const count = countOf;
const text = textIn;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(SHOTS);
});
afterAll(async () => {
  await browser?.close();
});

describe.each(backends)('pages in Chromium on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${backend}-${name}.png`), fullPage: true });

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await seedTenant(t.database);
    await seedDemoTenant(t.database, 'demo');
    const { db } = t.database;
    const zhang = (await listUsers(db, 'demo', { role: 'rep' }, { limit: 10 })).items.find((u) => u.name === '张销售')!;
    const mine = await createCustomer(db, 'demo', { name: '周', title: '院长', company: '杭州第一医院', ownerId: zhang.id, identities: [{ kind: 'phone', value: '13900001111' }] }, 'test');
    await createLead(db, 'demo', { customerId: mine.id, status: 'claimed', assigneeId: zhang.id }, 'test');
    const pool = await createCustomer(db, 'demo', { name: '吴', title: '经理', company: '宁波康复中心', identities: [{ kind: 'phone', value: '13722223333' }] }, 'test');
    await createLead(db, 'demo', { customerId: pool.id, status: 'new' }, 'test');
    h = await startHarness(t.database, { startWorkers: false });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  for (const [label, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 375, height: 740 }]] as const) {
    it(`signs a demo rep in and shows their customers with others' phones masked (${label})`, async () => {
      const ctx = await browser.newContext({ viewport });
      const page = await ctx.newPage();
      await page.goto(`${h.server.url}/signin?tenant=demo`);
      await count(page.locator('#users li'), 4);
      await shot(page, `signin-${label}`);
      await page.locator('#users li', { hasText: '张销售' }).getByRole('button', { name: '登录' }).click();
      await page.waitForURL('**/me');
      await page.locator('#rows tr').nth(1).waitFor();
      const rows = await page.locator('#rows tr').allInnerTexts();
      expect(rows.join('\n')).toContain('13900001111'); // their own customer, in full
      expect(rows.join('\n')).toContain('137****3333'); // an unassigned lead's customer, masked
      expect(rows.join('\n')).not.toContain('13722223333');
      expect(rows.join('\n')).not.toContain('13688889999'); // 李销售's customer: not theirs to see
      await shot(page, `me-rep-${label}`);
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(Number(overflow)).toBeLessThanOrEqual(0);
      await ctx.close();
    });
  }

  it('signs a person in inside DingTalk with the 免登 code (fake dd object)', async () => {
    const ctx = await browser.newContext({ userAgent: 'Mozilla/5.0 (iPhone) AliApp(DingTalk/7.0.0)', viewport: { width: 375, height: 740 } });
    const code = h.dingtalk.issueAuthCode('dt-rep-li', 'u-rep-li');
    await ctx.addInitScript(`window.dd = { runtime: { permission: { requestAuthCode: function (o) { window.__corpId = o.corpId; setTimeout(function () { o.onSuccess({ code: ${JSON.stringify(code)} }); }, 10); } } } };`);
    const page = await ctx.newPage();
    await page.goto(`${h.server.url}/signin?tenant=default&corpId=dingcorp123`);
    await page.waitForURL('**/me');
    await text(page.locator('#who'), '李销售（销售）');
    await ctx.close();
  });

  it('binds a DingTalk account from a one-time link opened inside DingTalk, then refuses the link again', async () => {
    const inv = await fetch(`${h.server.url}/api/v1/users/invite`, { method: 'POST', headers: { authorization: 'Bearer harness-admin-token-0123', 'content-type': 'application/json' }, body: JSON.stringify({ name: '郑销售', role: 'rep' }) });
    const { bindingUrl } = (await inv.json()) as { bindingUrl: string };
    const ctx = await browser.newContext({ userAgent: 'Mozilla/5.0 (iPhone) AliApp(DingTalk/7.0.0)', viewport: { width: 375, height: 740 } });
    const code = h.dingtalk.issueAuthCode('dt-zheng', 'u-zheng');
    await ctx.addInitScript(`window.dd = { runtime: { permission: { requestAuthCode: function (o) { o.onSuccess({ code: ${JSON.stringify(code)} }); } } } };`);
    const page = await ctx.newPage();
    await page.goto(bindingUrl);
    await text(page.locator('#name'), '郑销售');
    await shot(page, 'bind-phone');
    await page.click('#go');
    await page.waitForURL('**/me');
    await text(page.locator('#who'), '郑销售');
    const again = await page.goto(bindingUrl);
    expect(again?.status()).toBe(410);
    await text(page.locator('#msg'), '已经用过了');
    await shot(page, 'bind-used-phone');
    await ctx.close();
  });

  it('shows an unbound DingTalk account whom to ask', async () => {
    await createUser(t.database.db, 'default', { name: '周管理', role: 'admin' }, 'test');
    const ctx = await browser.newContext({ userAgent: 'Mozilla/5.0 AliApp(DingTalk/7.0.0)', viewport: { width: 375, height: 740 } });
    const code = h.dingtalk.issueAuthCode('dt-nobody', 'u-nobody');
    await ctx.addInitScript(`window.dd = { runtime: { permission: { requestAuthCode: function (o) { o.onSuccess({ code: ${JSON.stringify(code)} }); } } } };`);
    const page = await ctx.newPage();
    await page.goto(`${h.server.url}/signin?tenant=default`);
    await text(page.locator('#error'), '还没有绑定客路用户');
    expect(await page.locator('#error').innerText()).toContain('周管理');
    await shot(page, 'signin-unbound-phone');
    await ctx.close();
  });

  for (const [label, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 375, height: 740 }]] as const) {
    it(`runs the admin console: invite with a QR code, keys, rules validation, audit (${label})`, async () => {
      const ctx = await browser.newContext({ viewport });
      const page = await ctx.newPage();
      await page.goto(`${h.server.url}/signin?tenant=demo`);
      await page.locator('#users li', { hasText: '王管理' }).getByRole('button', { name: '登录' }).click();
      await page.waitForURL('**/admin');
      await page.locator('#people-rows tr').first().waitFor();
      const before = await page.locator('#people-rows tr').count();
      expect(before).toBeGreaterThanOrEqual(4);
      await page.fill('#inv-name', `孙销售${label}`);
      await page.click('#invite button[type=submit]');
      await text(page.locator('#link-url'), '/bind/');
      await count(page.locator('#link-qr svg'), 1);
      await count(page.locator('#people-rows tr'), before + 1);
      await shot(page, `admin-people-${label}`);

      await page.click('a[href="#channels"]');
      // Every adapter's card, drawn from what the adapters describe; the assistant saved through the form.
      await count(page.locator('#channel-cards .card'), 3);
      await text(page.locator('#channel-cards'), '/wecom/callback/demo');
      await text(page.locator('#channel-cards'), '/dingtalk/robot/demo');
      const assistant = page.locator('#channel-cards .card[data-platform=wechaty]');
      await text(assistant.locator('h2'), '个人微信助手');
      expect(await assistant.locator('input[name=token]').getAttribute('type')).toBe('password');
      await assistant.locator('input[name=puppet]').fill('wechaty-puppet-mock');
      await assistant.getByRole('button', { name: '保存凭据' }).click();
      await text(assistant.locator('.ok'), '已保存');
      await text(assistant.locator('h2'), '已配置');
      await assistant.getByRole('button', { name: '测试连接' }).click();
      await text(assistant.locator('.err'), '未启动'); // this harness runs no workers: honest, not "connected"
      await shot(page, `admin-channels-${label}`);
      // A tenant holding credentials offers no demo sign-in: give the next run its demo tenant back.
      await t.database.db.transaction((tx) => removeChannelCredentials(tx, 'demo', 'wechaty', 'test'));
      h.runtime.channels.invalidate('demo');

      await page.click('a[href="#keys"]');
      await page.fill('#key-name', `同步${label}`);
      await page.click('#key-form button[type=submit]');
      await text(page.locator('#key-new'), 'kelu_');
      await count(page.locator('#key-rows tr', { hasText: `同步${label}` }), 1);
      await shot(page, `admin-keys-${label}`);

      await page.click('a[href="#assignment"]');
      await waitFor(async () => (await page.locator('#a-timeout').inputValue()) === '1800', 10_000, 'assignment settings');
      await page.click('#add-rule');
      await page.locator('#rules .rule [name=kind]').selectOption('pool'); // a pool with nobody in it
      await page.click('#assign-form button[type=submit]');
      await text(page.locator('#assign-err'), '规则 1');
      await shot(page, `admin-rules-${label}`);

      await page.click('a[href="#audit"]');
      await page.locator('#audit-rows tr').first().waitFor();
      await text(page.locator('#audit-rows'), 'key.create');
      await shot(page, `admin-audit-${label}`);
      await ctx.close();
    });
  }
});
