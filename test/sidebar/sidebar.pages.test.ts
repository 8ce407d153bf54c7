import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { devices, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { launchBrowser, textIn } from '../helpers/browser.js';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { seedTenant, startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { installFakeWecomBridge, WECOM_UA } from '../fakes/fake-wecom-jsbridge.js';
import { createQuickReply } from '../../src/crm/quick-replies.repo.js';
import type { User } from '../../src/crm/users.repo.js';

const SHOTS = path.resolve('test-output/screenshots/sidebar');
const PHONE = devices['iPhone SE (3rd gen)'];
// A desktop client's side panel: narrow, mouse, no touch.
const PANEL = { viewport: { width: 460, height: 900 }, isMobile: false, hasTouch: false };

const text = textIn;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(SHOTS);
});
afterAll(async () => {
  await browser?.close();
});

describe.each(backends)('the sidebar in Chromium on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  let li: User;
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${backend}-${name}.png`), fullPage: true });
  const rows = async <T>(q: ReturnType<typeof sql>) => t.database.query<T>(q);
  const signedIn = async (ctx: BrowserContext, user: User) => {
    const s = h.runtime.auth.sessions.issue(user.tenantId, user.id);
    await ctx.addCookies([{ name: 'kelu_session', value: s.value, url: h.server.url }]);
  };

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    ({ li } = await seedTenant(t.database));
    await createQuickReply(t.database.db, 'default', { title: '发资料', body: '{客户称呼}您好，{产品}的资料已发您，请查收。' }, 'test');
    h = await startHarness(t.database, { startWorkers: false });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  for (const [label, device] of [['phone', { ...PHONE, userAgent: `${PHONE.userAgent} wxwork/4.1.22` }], ['panel', { ...PANEL, userAgent: WECOM_UA.replace('iPhone', 'Windows') }]] as const) {
    it(`opens from a WeCom single chat, archives two fragments, edits a field, sends a quick reply and reads the heat map (${label})`, async () => {
      const ext = `wm_${label}_0001`;
      const mobile = label === 'phone' ? '13812345678' : '13912345678';
      h.wecom.externalContacts[ext] = { name: label === 'phone' ? '周明' : '吴桐', corp_full_name: '杭州第一医院', position: '院长', follow_user: [{ userid: 'rep-li', remark_mobiles: [] }] };
      const ctx = await browser.newContext(device);
      const bridge = await installFakeWecomBridge(ctx, h.wecom, { entry: 'single_chat_tools', externalUserId: ext });
      await signedIn(ctx, li);
      const page = await ctx.newPage();
      const tap = (sel: string | Locator) => { const l = typeof sel === 'string' ? page.locator(sel) : sel; return label === 'phone' ? l.tap() : l.click(); };
      await page.goto(`${h.server.url}/sidebar?tenant=default`);
      await text(page.locator('#c-name'), label === 'phone' ? '周明' : '吴桐');
      expect(bridge.refused).toBe(0);
      expect(bridge.calls.map((c) => c.name)).toEqual(expect.arrayContaining(['agentConfig', 'getContext', 'getCurExternalContact']));
      const [c] = await rows<{ id: string; owner_id: string }>(sql`select c.id, c.owner_id from customers c join customer_identities i on i.customer_id = c.id where i.kind = 'wecom_external_userid' and i.value = ${ext}`);
      expect(c!.owner_id).toBe(li.id);
      await shot(page, `wecom-open-${label}`);

      // Archive: two fragments previewed, then confirmed in one tap.
      await tap('#tabs a[data-tab=archive]');
      await page.fill('#frag', `院长您好，我是杭州第一医院的周明，电话${mobile}，下周三下午3点来看血糖仪，预算20万左右`);
      await tap('#preview');
      await text(page.locator('#pending'), `新电话 ${mobile}`);
      await text(page.locator('#pending'), '新跟进：下周三下午3点');
      await page.locator('#dir').selectOption('out');
      await page.fill('#frag', '好的，下周三下午三点我在医院门口等您');
      await tap('#preview');
      await waitFor(async () => (await page.locator('#pending > li').count()) === 2, 10_000, 'two pending fragments');
      await shot(page, `archive-preview-${label}`);
      await tap('#confirm');
      await text(page.locator('#archived'), '已归档 2 段');
      const archived = await rows<{ direction: string; text: string }>(sql`select direction, text from interactions where customer_id = ${c!.id} and platform = 'sidebar' order by direction`);
      expect(archived.map((a) => a.direction)).toEqual(['in', 'out']);
      expect(archived[0]!.text).toContain(mobile);
      const [phone] = await rows<{ n: number }>(sql`select count(*)::int as n from customer_identities where customer_id = ${c!.id} and kind = 'phone' and value = ${mobile}`);
      expect(phone!.n).toBe(1);
      await shot(page, `archive-done-${label}`);

      // Edit a field: it becomes manual.
      await tap('#tabs a[data-tab=info]');
      await tap(page.locator('.field[data-field=company] button'));
      await page.locator('.field[data-field=company] input').fill('杭州市第一人民医院');
      await tap(page.locator('.field[data-field=company] button', { hasText: '保存' }));
      await text(page.locator('.field[data-field=company]'), '手改');
      const [edited] = await rows<{ company: string; manual_fields: string[] }>(sql`select company, manual_fields from customers where id = ${c!.id}`);
      expect(edited!.company).toBe('杭州市第一人民医院');
      expect(edited!.manual_fields).toContain('company');
      await text(page.locator('#tasks'), '下周三下午3点');
      await shot(page, `customer-${label}`);

      // Quick reply: filled for this customer, sent into the chat by the SDK, recorded as outbound.
      await tap('#tabs a[data-tab=replies]');
      await text(page.locator('#replies'), '血糖仪的资料已发您');
      await tap(page.locator('#replies .reply button'));
      await waitFor(async () => bridge.sent.length === 1, 10_000, 'sendChatMessage');
      expect(bridge.sent[0]).toContain('血糖仪的资料已发您');
      await waitFor(async () => (await rows(sql`select 1 from interactions where customer_id = ${c!.id} and platform_message_id like 'send:%' and direction = 'out'`)).length === 1, 10_000, 'the send recorded');
      await shot(page, `replies-${label}`);

      // Heat map: the three messages of today in one cell; tap it for its messages.
      await tap('#tabs a[data-tab=heat]');
      await waitFor(async () => (await page.locator('#heat-box rect.cell.on').count()) >= 1, 10_000, 'heat cells');
      const counts = await page.locator('#heat-box rect.cell.on').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(3);
      expect(await page.locator('#heat-flag').isHidden()).toBe(true); // a message went out today
      await page.locator('#heat-box rect.cell.on').first().dispatchEvent('click');
      await text(page.locator('#heat-msgs'), mobile);
      await shot(page, `heat-${label}`);

      // Stage questions from the stage engine: answering 客户已明确采购需求？ = 是 moves the customer to 需求确认.
      await tap('#tabs a[data-tab=stage]');
      await text(page.locator('#stage-box'), '尚未进入任何阶段');
      await tap(page.locator('#questions li[data-key=has_need] button', { hasText: '是' }));
      await text(page.locator('#stage-box'), '当前阶段：需求确认');
      await text(page.locator('#questions li[data-key=has_need]'), '已回答：是');
      const [entry] = await rows<{ stage_key: string; rule: string | null; actor: string }>(sql`select stage_key, rule, actor from stage_entries where customer_id = ${c!.id} and left_at is null`);
      expect(entry).toMatchObject({ stage_key: 'needs', actor: `user:${li.id}` });
      await shot(page, `stage-${label}`);
      // The timeline shows the move.
      await page.reload();
      await text(page.locator('#c-name'), label === 'phone' ? '周明' : '吴桐');
      await text(page.locator('#timeline'), '进入「需求确认」');
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(Number(overflow)).toBeLessThanOrEqual(0);
      await ctx.close();
    });
  }

  it('opens from a DingTalk cool app group entry: 免登 with requestAuthCode, search, copy a quick reply', async () => {
    const ua = `${PHONE.userAgent} AliApp(DingTalk/7.6.0) DingTalk(7.6.0) Mobile`;
    const ctx = await browser.newContext({ ...PHONE, userAgent: ua, permissions: ['clipboard-read', 'clipboard-write'] });
    const code = h.dingtalk.issueAuthCode('dt-rep-li', 'u-rep-li');
    // DingTalk's iOS client bridge, as dingtalk-jsapi calls it; what the page asked is recorded here.
    const asked: { name: string; corpId: string }[] = [];
    await ctx.exposeBinding('__ddCall', (_s, name: string, corpId: string) => void asked.push({ name, corpId }));
    await ctx.addInitScript(`window.WebViewJavascriptBridge = { init: function () {}, registerHandler: function () {},
      callHandler: function (name, params, cb) { window.__ddCall(name, params.corpId);
        setTimeout(function () { cb(name === 'runtime.permission.requestAuthCode' ? { errorCode: '0', result: { code: ${JSON.stringify(code)} } } : { errorCode: '9', errorMessage: 'not faked' }); }, 5); } };`);
    const page = await ctx.newPage();
    await page.goto(`${h.server.url}/sidebar?tenant=default&openConversationId=cidGROUP01&corpId=dingcorp123`);
    await page.locator('#pick').waitFor();
    await text(page.locator('#who'), '李销售');
    expect(asked).toEqual([{ name: 'runtime.permission.requestAuthCode', corpId: 'dingcorp123' }]);
    await page.fill('#q', '周明');
    await page.locator('#q-form button').tap();
    await page.locator('#results li.hit').first().waitFor();
    await shot(page, 'dingtalk-search-phone');
    await page.locator('#results li.hit').first().tap();
    await text(page.locator('#c-name'), '周明');
    await page.locator('#tabs a[data-tab=replies]').tap();
    await text(page.locator('#replies .reply button'), '复制发送');
    await page.locator('#replies .reply button').tap();
    await text(page.locator('#toast'), '已复制');
    expect(await page.evaluate('navigator.clipboard.readText()')).toContain('资料已发您');
    const copied = await rows<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'reply.send' and after->>'via' = 'copy'`);
    expect(copied[0]!.n).toBe(1);
    await shot(page, 'dingtalk-replies-phone');
    await ctx.close();
  });
});
