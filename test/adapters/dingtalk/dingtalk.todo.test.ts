import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { sql } from 'drizzle-orm';
import type { DingtalkEnv } from '../../../src/adapters/dingtalk/dingtalk.config.js';
import { createDingtalkDeliverer } from '../../../src/adapters/dingtalk/dingtalk.deliver.js';
import { TokenCache } from '../../../src/lib/token-cache.js';
import type { Card, OutboundMessage } from '../../../src/channel/messages.js';
import { setChannelCredentials } from '../../../src/crm/tenants.repo.js';
import { FakeDingtalkServer } from '../../fakes/fake-dingtalk-server.js';
import { DingtalkMemoryTokenStore } from '../../fakes/dingtalk-memory-token-store.js';
import { openTestDatabase, type TestDatabase } from '../../helpers/test-db.js';
import { box, DINGTALK, inboxRows, outboxRows, seedTenant, startHarness, waitFor, type Harness, dingtalkStream } from '../../helpers/harness.js';
import { robotMessage } from './dingtalk.helpers.js';
import { createUser } from '../../../src/crm/users.repo.js';

const APP = { appKey: 'fake-app-key', appSecret: 'fake-app-secret', robotCode: 'rc' };

describe('DingTalk todos behind tracked cards (deliverer against the fake)', () => {
  const fake = new FakeDingtalkServer();
  const envs = new Map<string, DingtalkEnv>();
  let deliverer: ReturnType<typeof createDingtalkDeliverer>;
  let seq = 0;
  beforeAll(async () => {
    const { url } = await fake.start();
    deliverer = createDingtalkDeliverer({ apiBase: url, oapiBase: url, tokens: new TokenCache(new DingtalkMemoryTokenStore()), channel: async (t) => envs.get(t) ?? null, todoRetryDelayMs: 10 });
    envs.set('t1', { ...APP, cardTemplateId: 'tpl.schema' });
    envs.set('plain', APP);
    fake.unionIds.set('dt-mgr-chen', 'u-mgr-chen');
    fake.unionIds.set('dt-mgr-zhou', 'u-mgr-zhou');
  });
  afterAll(() => fake.stop());

  const todoCard = (cardId = `task-${++seq}`): Card => ({
    cardId,
    track: true,
    title: '待办：王总',
    description: '高意向，需经理跟进',
    buttons: [{ key: 'take', text: '我来跟进' }],
    todo: { subject: '跟进 王总', description: '高意向，需经理跟进' },
  });
  const msg = (reply: OutboundMessage['reply'], userIds = ['dt-mgr-chen'], tenantId = 't1'): OutboundMessage => ({ platform: 'dingtalk', tenantId, to: { userIds, conversationType: 'single' }, reply });
  const cardsFor = (cardId: string) => fake.requestsTo('/v1.0/card/instances/createAndDeliver').filter((r) => (r.body as { outTrackId: string }).outTrackId === cardId);
  const todosFor = (cardId: string) => [...fake.todos.values()].filter((t) => t.sourceId === cardId);
  const userGets = (userId: string) => fake.requestsTo('/topapi/v2/user/get').filter((r) => (r.body as { userid: string }).userid === userId);

  it('sends the card, then creates a todo with our card id as sourceId for the unionId the user look-up gave', async () => {
    const card = todoCard();
    const result = await deliverer.deliver(msg({ kind: 'card', card }));
    expect(cardsFor(card.cardId)).toHaveLength(1);
    const [todo] = todosFor(card.cardId);
    expect(todo).toMatchObject({ creatorUnionId: 'u-mgr-chen', executorIds: ['u-mgr-chen'], subject: '跟进 王总', description: '高意向，需经理跟进', done: false });
    expect(result).toEqual({ cardRef: { todos: [{ unionId: 'u-mgr-chen', todoId: todo!.id }] } });
    // The card went out before the todo was asked for.
    const order = fake.requests.map((r) => r.path);
    expect(order.lastIndexOf('/v1.0/card/instances/createAndDeliver')).toBeLessThan(order.lastIndexOf('/v1.0/todo/users/u-mgr-chen/tasks'));
  });

  it('looks a user up once per tenant (cached), and gives every recipient of one message a todo of their own', async () => {
    const before = userGets('dt-mgr-chen').length;
    const card = todoCard();
    const result = (await deliverer.deliver(msg({ kind: 'card', card }, ['dt-mgr-chen', 'dt-mgr-zhou']))) as { cardRef: { todos: unknown[] } };
    expect(userGets('dt-mgr-chen')).toHaveLength(before);
    expect(todosFor(card.cardId).map((t) => t.creatorUnionId).sort()).toEqual(['u-mgr-chen', 'u-mgr-zhou']);
    expect(result.cardRef.todos).toHaveLength(2);
  });

  it('a card without todo, or a card to a group, creates no todo and returns no ref', async () => {
    const { todo: _t, ...plain } = todoCard();
    expect(await deliverer.deliver(msg({ kind: 'card', card: plain }))).toBeUndefined();
    const group: OutboundMessage = { platform: 'dingtalk', tenantId: 't1', to: { conversationId: 'cidG==', conversationType: 'group' }, reply: { kind: 'card', card: todoCard() } };
    expect(await deliverer.deliver(group)).toBeUndefined();
    expect(todosFor(plain.cardId)).toHaveLength(0);
  });

  it('a card update with the ref marks the todo done before the card changes', async () => {
    const card = todoCard();
    const sent = (await deliverer.deliver(msg({ kind: 'card', card }))) as { cardRef: Record<string, unknown> };
    const from = fake.requests.length;
    const result = await deliverer.deliver(msg({ kind: 'cardUpdate', cardId: card.cardId, resultText: '陈经理 已跟进', ref: sent.cardRef }));
    expect(result).toBeUndefined();
    expect(todosFor(card.cardId).map((t) => t.done)).toEqual([true]);
    const after = fake.requests.slice(from).filter((r) => r.method === 'PUT').map((r) => r.path);
    expect(after).toEqual([`/v1.0/todo/users/u-mgr-chen/tasks/${todosFor(card.cardId)[0]!.id}`, '/v1.0/card/instances']);
    // An update without a ref (or with some other adapter's) touches no todo.
    const puts = fake.requests.filter((r) => r.path.startsWith('/v1.0/todo/') && r.method === 'PUT').length;
    await deliverer.deliver(msg({ kind: 'cardUpdate', cardId: card.cardId, resultText: 'x' }));
    await deliverer.deliver(msg({ kind: 'cardUpdate', cardId: card.cardId, resultText: 'x', ref: { todos: 'nonsense' } }));
    expect(fake.requests.filter((r) => r.path.startsWith('/v1.0/todo/') && r.method === 'PUT')).toHaveLength(puts);
  });

  it('a permanent todo failure still delivers the card and records the error', async () => {
    const card = todoCard();
    fake.failNext('/v1.0/todo/', 'badRequest');
    const result = (await deliverer.deliver(msg({ kind: 'card', card }))) as Record<string, unknown>;
    expect(cardsFor(card.cardId)).toHaveLength(1);
    expect(todosFor(card.cardId)).toHaveLength(0);
    expect(result.cardRef).toBeUndefined();
    expect(result.todoError).toEqual(expect.stringContaining('param.error'));
  });

  it('a transient todo failure after the card is retried in place, never by resending the card', async () => {
    const card = todoCard();
    fake.failNext('/v1.0/todo/', '5xx');
    const result = (await deliverer.deliver(msg({ kind: 'card', card }))) as Record<string, unknown>;
    expect(cardsFor(card.cardId)).toHaveLength(1);
    expect(todosFor(card.cardId)).toHaveLength(1);
    expect(result.todoError).toBeUndefined();
    // Still failing after the retry: the card counts as delivered, the error is noted.
    const card2 = todoCard();
    fake.failNext('/v1.0/todo/', '5xx', 2);
    const r2 = (await deliverer.deliver(msg({ kind: 'card', card: card2 }))) as Record<string, unknown>;
    expect(cardsFor(card2.cardId)).toHaveLength(1);
    expect(r2.todoError).toEqual(expect.stringContaining('502'));
  });

  it('a transient user look-up failure fails the message retryably before any card is sent; a permanent one costs only the todo', async () => {
    const card = todoCard();
    fake.failNext('/topapi/v2/user/get', '5xx');
    await expect(deliverer.deliver(msg({ kind: 'card', card }, ['dt-new-1']))).rejects.toMatchObject({ retryable: true });
    expect(cardsFor(card.cardId)).toHaveLength(0);
    const card2 = todoCard();
    const r = (await deliverer.deliver(msg({ kind: 'card', card: card2 }, ['missing']))) as Record<string, unknown>;
    expect(cardsFor(card2.cardId)).toHaveLength(1);
    expect(r.todoError).toEqual(expect.stringContaining('60121'));
  });

  it('marking done: a transient failure retries the whole update (card not yet touched), a permanent one is recorded', async () => {
    const card = todoCard();
    const sent = (await deliverer.deliver(msg({ kind: 'card', card }))) as { cardRef: Record<string, unknown> };
    const updates = () => fake.requestsTo('/v1.0/card/instances').length;
    const before = updates();
    fake.failNext('/v1.0/todo/', '5xx');
    await expect(deliverer.deliver(msg({ kind: 'cardUpdate', cardId: card.cardId, resultText: '已跟进', ref: sent.cardRef }))).rejects.toMatchObject({ retryable: true });
    expect(updates()).toBe(before);
    const r = (await deliverer.deliver(msg({ kind: 'cardUpdate', cardId: card.cardId, resultText: '已跟进', ref: { todos: [{ unionId: 'u-mgr-chen', todoId: 'todo-gone' }] } }))) as Record<string, unknown>;
    expect(updates()).toBe(before + 1);
    expect(r.todoError).toEqual(expect.stringContaining('todo.notFound'));
  });

  it('without a card template the card degrades to markdown but the todo is still created', async () => {
    const card = todoCard();
    const result = (await deliverer.deliver(msg({ kind: 'card', card }, ['dt-mgr-chen'], 'plain'))) as { cardRef: { todos: { todoId: string }[] } };
    expect(cardsFor(card.cardId)).toHaveLength(0);
    expect(todosFor(card.cardId)).toHaveLength(1);
    await deliverer.deliver(msg({ kind: 'cardUpdate', cardId: card.cardId, resultText: '陈经理 已跟进', ref: result.cardRef }, ['dt-mgr-chen'], 'plain'));
    expect(todosFor(card.cardId)[0]!.done).toBe(true);
  });
});

describe('DingTalk manager todo end to end (Stream, real pipeline, PostgreSQL)', () => {
  let t: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    // The Stream SDK announces connects on the console.
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    t = await openTestDatabase('postgres');
    await seedTenant(t.database);
    // Cards need the tenant's card template; a second manager reachable only on DingTalk.
    await setChannelCredentials(t.database.db, 'default', 'dingtalk', box.sealJson({ ...DINGTALK, cardTemplateId: 'tpl.schema' }), 'test');
    await createUser(t.database.db, 'default', { name: '周经理', role: 'manager', accounts: [{ platform: 'dingtalk', kind: 'userid', value: 'dt-mgr-zhou' }] }, 'test');
    h = await startHarness(t.database, { env: { DINGTALK_STREAM: 'on' } });
    h.dingtalk.unionIds.set('dt-mgr-chen', 'u-mgr-chen');
    h.dingtalk.unionIds.set('dt-mgr-zhou', 'u-mgr-zhou');
    await waitFor(async () => h.dingtalk.openConnections === 1 && (dingtalkStream(h.runtime)?.running ?? false), 10_000, 'stream connection');
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
    jest.restoreAllMocks();
  });

  it('an urgent lead from DingTalk gives each DingTalk manager a card and a todo; a take click completes the others\' todos', async () => {
    h.dingtalk.pushRobotMessage(robotMessage({ msgId: 'todo-e2e-1', text: '王总很着急，今天就要移动DR的报价 13612345678', staffId: 'dt-rep-li', fakeUrl: h.dingtalk.url }));
    const task = await waitFor(async () => (await t.database.query<{ id: string }>(sql`select id from tasks where kind = 'manager.todo'`))[0], 10_000, 'manager todo task');
    const todos = () => [...h.dingtalk.todos.values()].filter((x) => x.sourceId === task.id);
    await waitFor(async () => todos().length === 2, 10_000, 'two DingTalk todos');
    const cards = h.dingtalk.requestsTo('/v1.0/card/instances/createAndDeliver').filter((r) => (r.body as { outTrackId: string }).outTrackId === task.id);
    expect(cards.map((r) => (r.body as { openSpaceId: string }).openSpaceId).sort()).toEqual(['dtv1.card//IM_ROBOT.dt-mgr-chen', 'dtv1.card//IM_ROBOT.dt-mgr-zhou']);
    expect(todos().map((x) => x.creatorUnionId).sort()).toEqual(['u-mgr-chen', 'u-mgr-zhou']);
    expect(todos().every((x) => x.subject.startsWith('跟进') && !x.done)).toBe(true);
    // Each recipient's todo is remembered with the card, for the update.
    await waitFor(async () => (await t.database.query<{ n: number }>(sql`select jsonb_array_length(card_refs) as n from tasks where id = ${task.id}`))[0]!.n === 2, 5_000, 'card refs');
    const refs = (await t.database.query<{ card_refs: any[] }>(sql`select card_refs from tasks where id = ${task.id}`))[0]!.card_refs;
    expect(refs.map((r) => r.ref.todos[0].unionId).sort()).toEqual(['u-mgr-chen', 'u-mgr-zhou']);

    h.dingtalk.pushCardCallback({
      outTrackId: task.id,
      userId: 'dt-mgr-chen',
      corpId: 'ding0123',
      type: 'actionCallback',
      spaceType: 'IM_ROBOT',
      spaceId: 'dt-mgr-chen',
      content: JSON.stringify({ cardPrivateData: { actionIds: ['take'], params: { actionKey: 'take' } } }),
    });
    await waitFor(async () => (await inboxRows(t.database)).some((r) => r.kind === 'cardAction' && r.status === 'done'), 10_000, 'click processed');
    await waitFor(async () => (await outboxRows(t.database)).every((r) => r.status === 'done'), 10_000, 'outbox drained');
    const done = (await t.database.query<{ status: string }>(sql`select status from tasks where id = ${task.id}`))[0]!;
    expect(done.status).toBe('done');
    const zhou = todos().find((x) => x.creatorUnionId === 'u-mgr-zhou')!;
    expect(zhou.done).toBe(true);
    expect(h.dingtalk.requestsTo('/v1.0/card/instances').length).toBeGreaterThanOrEqual(1);
  }, 30_000);

  // The clicker's own card update is built from the click; the bot adds the ref remembered for the clicker's copy.
  it('the clicker\'s own todo is completed too', async () => {
    const task = (await t.database.query<{ id: string }>(sql`select id from tasks where kind = 'manager.todo'`))[0]!;
    const chen = [...h.dingtalk.todos.values()].find((x) => x.sourceId === task.id && x.creatorUnionId === 'u-mgr-chen')!;
    expect(chen.done).toBe(true);
  });
});
