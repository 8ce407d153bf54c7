import { describe, expect, it, afterAll, beforeAll } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devices, type Browser, type Locator } from 'playwright-core';
import { launchBrowser, textIn } from '../helpers/browser.js';
import { waitFor } from '../helpers/harness.js';

// The playground as a newcomer meets it: `npm start`'s server (dist/main.js) on a fresh data dir, `/` in
// Chromium. A customer's message typed in, forwarded as the rep through the real WeCom callback, the
// card the fake WeCom received, 确认 pressed, and the sidebar opened on that customer.

const SHOTS = path.resolve('test-output/screenshots/playground');
const START_LIMIT_MS = 45_000;

let child: ChildProcess;
let url: string;
let dataDir: string;
let browser: Browser;
let out = '';

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-changed.js'], { stdio: 'inherit' });
  dataDir = mkdtempSync(path.join(tmpdir(), 'kelu-playground-'));
  child = spawn(process.execPath, ['dist/main.js'], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', KELU_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const m = await waitFor(async () => /playground\s+(http:\/\/[^/\s]+)\//.exec(out) ?? (child.exitCode !== null ? Promise.reject(new Error(out)) : null), START_LIMIT_MS, 'the banner');
  url = m[1]!;
  browser = await launchBrowser(SHOTS);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((res) => child.once('exit', res));
    child.kill('SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const admin = () => ({ authorization: `Bearer ${readFileSync(path.join(dataDir, 'admin.token'), 'utf8').trim()}` });

describe('the playground in Chromium (npm start on a fresh data dir, WeCom)', () => {
  it('the banner names the playground first', () => {
    const lines = out.split('\n').filter((l) => l.startsWith('  '));
    expect(lines[0]).toMatch(/^ {2}playground\s+http:\/\/127\.0\.0\.1:\d+\/ /);
  });

  const cases = [
    { label: 'phone', device: devices['iPhone SE (3rd gen)'], width: 375, name: '周明', phone: '13912345678', company: '杭州市第一人民医院', product: '血糖仪' },
    { label: 'desktop', device: { viewport: { width: 1280, height: 900 } }, width: 1280, name: '吴桐', phone: '13812340000', company: '宁波市第二医院', product: '移动DR' },
  ] as const;

  for (const c of cases) {
    it(`types a customer's message, forwards it as the rep, presses 确认 and opens the sidebar on that customer (${c.label}, ${c.width} px)`, async () => {
      const ctx = await browser.newContext(c.device);
      const page = await ctx.newPage();
      const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${c.label}-${name}.png`), fullPage: c.label === 'desktop' });
      const phone = c.label === 'phone';
      const tap = (l: Locator) => (phone ? l.tap() : l.click());
      const pane = async (name: string) => {
        if (phone) await tap(page.locator(`#tabs a[data-pane=${name}]`));
        await waitFor(async () => page.locator(`#pane-${name}`).isVisible(), 10_000, `pane ${name}`);
      };
      await page.goto(`${url}/`);
      await textIn(page.locator('#platforms button.on'), '企业微信');
      await textIn(page.locator('#rep-pick option:checked'), '李销售');
      // On a phone one pane at a time; on a desktop all four side by side.
      const visible = async () => (await Promise.all(['customer', 'rep', 'mgr', 'side'].map((p) => page.locator(`#pane-${p}`).isVisible()))).filter(Boolean).length;
      expect(await visible()).toBe(phone ? 1 : 4);
      await shot('empty');

      // The customer writes to the rep.
      const words = `您好，我是${c.company}设备科的${c.name}，电话 ${c.phone}，我们想采购${c.product}，预算20万左右，下周三下午方便来演示吗？`;
      await pane('customer');
      await page.fill('#t-customer', words);
      await tap(page.locator('#f-customer button'));
      const line = page.locator('#chat-customer .msg', { hasText: c.phone });
      await textIn(line, c.name);

      // The rep forwards it to the Kelu app: the card comes back from the fake WeCom.
      await tap(line.locator('button', { hasText: '转发给客路' }));
      await pane('rep');
      const card = page.locator('#chat-rep .kcard', { hasText: `已建客户：${c.name}` });
      await textIn(card, c.company);
      const masked = `${c.phone.slice(0, 3)}****${c.phone.slice(-4)}`;
      expect(await card.innerText()).toContain(masked);
      expect(await card.innerText()).not.toContain(c.phone);
      await shot('card');
      await tap(card.locator('button', { hasText: '确认' }));
      await textIn(card.locator('.done'), '已确认');
      expect(await card.locator('button').count()).toBe(0);

      // High intent (采购, 演示): the manager has a todo card with its three buttons.
      await pane('mgr');
      const todo = page.locator('#chat-mgr .kcard', { hasText: `待办：${c.name}` });
      await textIn(todo, '我来跟进');
      expect(await todo.locator('button').allInnerTexts()).toEqual(['我来跟进', '指派', '忽略']);

      // The sidebar, signed in as the rep, on that customer.
      await pane('side');
      const side = page.frameLocator('#side');
      await textIn(side.locator('#c-name'), c.name);
      await textIn(side.locator('#panel'), c.company);
      await textIn(side.locator('#panel'), c.phone);
      await shot('sidebar');
      if (!phone) await shot('all');

      // What the server stored, by the operator's API: the customer, owned by 李销售, with those fields.
      const res = await fetch(`${url}/api/v1/customers?q=${c.phone}`, { headers: admin() });
      const body = (await res.json()) as { items: { name: string; company: string; ownerId: string; identities: { kind: string; value: string }[] }[] };
      expect(body.items).toHaveLength(1);
      expect(body.items[0]).toMatchObject({ name: c.name, company: c.company });
      expect(body.items[0]!.identities).toEqual(expect.arrayContaining([{ kind: 'phone', value: c.phone }]));
      await ctx.close();
    }, 90_000);
  }

  it('switches to DingTalk and plays the forwarded-lead scenario with one click (1280 px)', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${url}/`);
    await page.locator('#platforms button', { hasText: '钉钉' }).click();
    await textIn(page.locator('#platforms button.on'), '钉钉');
    await page.locator('#scenarios button', { hasText: '转发一条线索' }).click();
    await textIn(page.locator('#hint'), '客户发来需求');
    // 周明 is already a customer (the phone case made him on WeCom): the DingTalk card says so.
    const card = page.locator('#chat-rep .kcard', { hasText: '周明' });
    await textIn(card, '已归档到老客户');
    await card.locator('button', { hasText: '确认' }).click();
    await textIn(card.locator('.done'), '已确认');
    await textIn(page.frameLocator('#side').locator('#c-name'), '周明');
    await page.screenshot({ path: path.join(SHOTS, 'desktop-dingtalk.png') });
    await ctx.close();
  }, 90_000);
});

