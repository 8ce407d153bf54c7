import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { box, seedTenant, startHarness, waitFor, type Harness } from '../helpers/harness.js';
import { seedDemoTenant, DEFAULT_TENANT_ID } from '../../src/app/bootstrap.js';
import { setChannelCredentials, upsertTenant } from '../../src/crm/tenants.repo.js';
import { scheduleTimer } from '../../src/crm/timers.repo.js';
import type { PlaygroundBubble } from '../../src/channel/adapter.js';

// The playground's API in process, on the demo tenant: every platform through its real route or
// connection, the sped-up clock of the demo tenant only, and no playground on a tenant with credentials.

type State = { customerId: string | null; reps: { account: string; name: string }[]; managers: { account: string }[]; chats: Record<string, (PlaygroundBubble & { mine?: boolean })[]>; customerChat: { id: number; text: string }[] };

describe('the playground API (PGlite, demo tenant)', () => {
  let t: TestDatabase;
  let h: Harness;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${h.server.url}/api/v1/playground${path}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as any };
  };
  const state = async (platform: string) => (await call('GET', `/state?platform=${platform}`)).body as State;
  const cardIn = (s: State, account: string, title: string) => s.chats[account]?.find((b) => b.card?.title.includes(title));
  const q = <T>(s: ReturnType<typeof sql>) => t.database.query<T>(s);

  // Assignment reads the clock (the demo reps work 09:00–18:00 Mon–Fri, 张销售 is also on duty), so the
  // file runs on a clock pinned to a Wednesday 10:00 in Shanghai, advancing in real time: the story the
  // escalate scenario tells (the next rep, then the managers) does not depend on when CI runs.
  const WEDNESDAY_10AM = Date.parse('2026-12-02T10:00:00+08:00');
  const started = Date.now();
  const clock = () => new Date(WEDNESDAY_10AM + (Date.now() - started));

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    await seedDemoTenant(t.database);
    h = await startHarness(t.database, { clock });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('serves the page at / with the platforms that can play', async () => {
    const res = await fetch(`${h.server.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('客路 体验场');
    const data = JSON.parse(/<script type="application\/json" id="data">(.*?)<\/script>/s.exec(html)![1]!);
    expect(data.platforms.map((p: { label: string }) => p.label)).toEqual(['企业微信', '钉钉', '个人微信助手']);
    expect(data.scenarios.map((s: { name: string }) => s.name)).toEqual(['forward', 'escalate', 'stage']);
  });

  it('DingTalk: a forwarded message is signed to /dingtalk/robot, its card comes back from the fake, 确认 and 我来跟进 come back over Stream', async () => {
    const s0 = (await call('POST', '/scenario', { platform: 'dingtalk', name: 'forward' })).body as State;
    const rep = s0.reps[0]!.account;
    const mgr = s0.managers[0]!.account;
    expect(s0.reps[0]!.name).toBe('李销售');
    const s1 = await waitFor(async () => { const s = await state('dingtalk'); return cardIn(s, rep, '已建客户：周明') && cardIn(s, mgr, '待办：周明') && s.customerId ? s : null; }, 30_000, 'the cards');
    const card = cardIn(s1, rep, '已建客户：周明')!;
    expect(card.card!.fields).toEqual(expect.arrayContaining([{ label: '电话', value: '139****5678' }, { label: '单位', value: '杭州市第一人民医院' }]));
    expect(card.card!.buttons.map((b) => b.text)).toEqual(['确认', '不是客户']);
    const [row] = await q<{ event_id: string; status: string }>(sql`select event_id, status from inbox_events where platform = 'dingtalk' and kind = 'text'`);
    expect(row!.status).toBe('done');

    expect((await call('POST', '/press', { platform: 'dingtalk', as: rep, bubble: card.id, key: 'confirm' })).status).toBe(200);
    const todo = cardIn(s1, mgr, '待办：周明')!;
    expect(todo.card!.buttons.map((b) => b.text)).toEqual(['我来跟进', '指派', '忽略']);
    await call('POST', '/press', { platform: 'dingtalk', as: mgr, bubble: todo.id, key: 'take' });
    const s2 = await waitFor(async () => { const s = await state('dingtalk'); return cardIn(s, rep, '已建客户：周明')?.card?.done && cardIn(s, mgr, '待办：周明')?.card?.done ? s : null; }, 30_000, 'both cards updated');
    expect(cardIn(s2, rep, '已建客户：周明')!.card!.done).toContain('已确认');
    expect(cardIn(s2, mgr, '待办：周明')!.card!.done).toContain('陈经理');
    const cards = await q<{ kind: string }>(sql`select kind from inbox_events where platform = 'dingtalk' and kind = 'cardAction'`);
    expect(cards).toHaveLength(2);
    const [lead] = await q<{ assignee_id: string; customer_id: string }>(sql`select assignee_id, customer_id from leads where customer_id = ${s2.customerId}`);
    expect(lead).toBeDefined();
  }, 60_000);

  it('the stage questionnaire plays: 阶段 <phone> sends the question card, 是 moves the customer on', async () => {
    const s0 = (await call('POST', '/scenario', { platform: 'dingtalk', name: 'stage' })).body as State;
    const rep = s0.reps[0]!.account;
    const s1 = await waitFor(async () => { const s = await state('dingtalk'); return cardIn(s, rep, '客户已明确采购需求') ? s : null; }, 20_000, 'the question card');
    const question = cardIn(s1, rep, '客户已明确采购需求')!;
    const yes = question.card!.buttons.find((b) => b.text === '是')!;
    await call('POST', '/press', { platform: 'dingtalk', as: rep, bubble: question.id, key: yes.key });
    await waitFor(async () => cardIn(await state('dingtalk'), rep, '客户已明确采购需求')?.card?.done?.includes('需求确认'), 20_000, 'the answer on the card');
    const [c] = await q<{ stage: string }>(sql`select stage from customers where id = ${s1.customerId}`);
    expect(c!.stage).toBe('needs'); // 需求确认's key in the default model
  }, 60_000);

  it('WeCom: an unclaimed lead escalates to the managers on the demo tenant\'s sped-up clock; no other tenant\'s timer moves', async () => {
    await upsertTenant(t.database.db, { tenantId: 'other', name: '别的公司' }, 'test');
    const far = new Date(Date.now() + 86_400_000);
    await scheduleTimer(t.database.db, 'other', { kind: 'task.remind', refId: 'other-1', fireAt: far, payload: {} });
    const s0 = (await call('POST', '/scenario', { platform: 'wecom', name: 'escalate' })).body as State;
    const mgr = s0.managers[0]!.account;
    expect(s0.customerId).toBeTruthy();
    const [lead] = await q<{ id: string }>(sql`select id from leads where customer_id = ${s0.customerId}`);
    // Nobody claims: the clock jumps 30 minutes at a time until the managers have the todo.
    const escalated = await waitFor(async () => {
      const s = await state('wecom');
      const todo = cardIn(s, mgr, '待办：');
      if (todo && todo.card!.description?.match(/超时未认领|无人可分配/)) return todo;
      expect((await call('POST', '/clock', { minutes: 30 })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      return null;
    }, 30_000, 'the manager todo');
    expect(escalated.card!.buttons.map((b) => b.text)).toEqual(['我来跟进', '指派', '忽略']);
    const [after] = await q<{ status: string; assignee_id: string | null; status_history: unknown }>(sql`select status, assignee_id, status_history from leads where id = ${lead!.id}`);
    // Assigned to a rep first (their claim card), then, unclaimed past the timeout, handed to the managers.
    // In working hours both reps are reachable: the on-duty 张销售 (fewer open leads) first, 李销售 next.
    const history = after!.status_history as { status: string; note?: string; assigneeId?: string | null }[];
    expect(history.map((x) => x.status)).toEqual(['new', 'assigned', 'assigned', 'new']);
    const names = await q<{ id: string; name: string }>(sql`select id, name from users where tenant_id = ${DEFAULT_TENANT_ID}`);
    const nameOf = (id?: string | null) => names.find((u) => u.id === id)?.name;
    expect(history.filter((x) => x.status === 'assigned').map((x) => nameOf(x.assigneeId))).toEqual(['张销售', '李销售']);
    expect(history.at(-1)!.note).toMatch(/^escalated/);
    expect(after!.assignee_id).toBeNull();
    const s1 = await state('wecom');
    expect(s1.reps.some((r) => cardIn(s1, r.account, '新线索待认领：赵科长'))).toBe(true);
    expect(escalated.card!.description).toContain('超时未认领');
    const [other] = await q<{ fire_at: Date }>(sql`select fire_at from timers where tenant_id = 'other'`);
    expect(new Date(other!.fire_at).getTime()).toBe(far.getTime());
  }, 60_000);

  it('Wechaty: the assistant on the mock puppet captures a forwarded message and answers as text', async () => {
    await call('POST', '/customer', { platform: 'wechaty', text: '我是温州医科大学附属医院的林主任，电话 13655556666，想了解移动DR' });
    const s0 = await state('wechaty');
    const rep = s0.reps[0]!.account;
    await call('POST', '/forward', { platform: 'wechaty', as: rep, line: s0.customerChat.at(-1)!.id });
    const s1 = await waitFor(async () => { const s = await state('wechaty'); return s.chats[rep]?.some((b) => !b.mine && b.text?.includes('已建客户：林')) && s.customerId ? s : null; }, 30_000, 'the reply');
    const reply = s1.chats[rep]!.find((b) => b.text?.includes('已建客户：林'))!;
    expect(reply.text).toContain('136****6666');
    expect(reply.card).toBeUndefined();
    const [c] = await q<{ source_channel: string }>(sql`select source_channel from customers where id = ${s1.customerId}`);
    expect(c!.source_channel).toBe('wechaty');
  }, 60_000);

  it('a bad body is refused with a code; a card that does not exist, or is not this person\'s, is not pressed', async () => {
    const bad = await call('POST', '/say', { platform: 'wecom', as: 'demo-rep-li', text: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_body');
    expect((await call('GET', '/state?platform=nope')).status).toBe(404);
    await call('POST', '/scenario', { platform: 'wecom', name: 'forward' });
    const s = await waitFor(async () => { const x = await state('wecom'); return cardIn(x, 'demo-rep-li', '周明') ? x : null; }, 20_000, 'the card');
    const mine = cardIn(s, 'demo-rep-li', '周明')!;
    const nope = await call('POST', '/press', { platform: 'wecom', as: 'demo-rep-li', bubble: '999:demo-rep-li', key: 'confirm' });
    expect([nope.status, nope.body.error.code]).toEqual([404, 'card_not_found']);
    // Another person's card, or a key the card does not have, is not pressed either.
    expect((await call('POST', '/press', { platform: 'wecom', as: 'demo-manager', bubble: mine.id, key: mine.card!.buttons[0]?.key ?? 'x' })).status).toBe(404);
    expect((await call('POST', '/press', { platform: 'wecom', as: 'demo-rep-li', bubble: mine.id, key: 'not_a_button' })).status).toBe(404);
    expect((await call('POST', '/press', { platform: 'wecom', as: 'demo-rep-li', bubble: mine.id, key: 'confirm' })).status).toBe(200);
  }, 60_000);
});

describe('no playground on a tenant with credentials', () => {
  let t: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    await seedDemoTenant(t.database);
    await setChannelCredentials(t.database.db, DEFAULT_TENANT_ID, 'wecom', box.sealJson({ corpId: 'ww0123456789abcdef', agentId: '1000002', secret: 's', token: 'T', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' }), 'test');
    h = await startHarness(t.database);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  it('/ goes to sign-in and the playground API is 404, on the demo tenant once it has credentials and on a real one', async () => {
    const res = await fetch(`${h.server.url}/`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/signin');
    const api = await fetch(`${h.server.url}/api/v1/playground/state?platform=wecom`);
    expect(api.status).toBe(404);
    expect(h.runtime.playground.credentials(DEFAULT_TENANT_ID, 'wecom')).toBeNull();
    await t.database.db.execute(sql`update tenants set settings = settings - 'demo'`);
    await seedTenant(t.database, 'real');
    expect((await fetch(`${h.server.url}/api/v1/playground/state?platform=wecom`)).status).toBe(404);
  });
});
