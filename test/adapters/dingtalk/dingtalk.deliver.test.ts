import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DingtalkEnv } from '../../../src/adapters/dingtalk/dingtalk.config.js';
import { createDingtalkDeliverer } from '../../../src/adapters/dingtalk/dingtalk.deliver.js';
import { TokenCache } from '../../../src/lib/token-cache.js';
import { PlatformApiError } from '../../../src/lib/platform-error.js';
import type { OutboundMessage } from '../../../src/channel/messages.js';
import { FakeDingtalkServer } from '../../fakes/fake-dingtalk-server.js';
import { DingtalkMemoryTokenStore } from '../../fakes/dingtalk-memory-token-store.js';

describe('DingTalk deliverer', () => {
  const fake = new FakeDingtalkServer();
  const envs = new Map<string, DingtalkEnv>();
  let deliverer: ReturnType<typeof createDingtalkDeliverer>;
  beforeAll(async () => {
    const { url } = await fake.start();
    deliverer = createDingtalkDeliverer({ apiBase: url, oapiBase: url, tokens: new TokenCache(new DingtalkMemoryTokenStore()), channel: async (t) => envs.get(t) ?? null });
    envs.set('with-cards', { appKey: 'fake-app-key', appSecret: 'fake-app-secret', robotCode: 'rc', cardTemplateId: 'tpl.schema' });
    envs.set('no-cards', { appKey: 'fake-app-key', appSecret: 'fake-app-secret' });
  });
  afterAll(() => fake.stop());

  const card = { cardId: 'task-1', title: '新线索', description: '孙主任 移动DR', buttons: [{ key: 'claim', text: '认领' }] };
  const msg = (tenantId: string, reply: OutboundMessage['reply']): OutboundMessage => ({ platform: 'dingtalk', tenantId, to: { userIds: ['dt-rep-li'], conversationType: 'single' }, reply });

  it('sends a card through the card API with the tenant template and robot code', async () => {
    await deliverer.deliver(msg('with-cards', { kind: 'card', card }));
    const sent = fake.requestsTo('/v1.0/card/instances/createAndDeliver').at(-1)!.body as Record<string, any>;
    expect(sent).toMatchObject({ cardTemplateId: 'tpl.schema', outTrackId: 'task-1', callbackType: 'STREAM', openSpaceId: 'dtv1.card//IM_ROBOT.dt-rep-li' });
    expect(sent.imRobotOpenDeliverModel.robotCode).toBe('rc');
  });

  it('without a template, a card goes out as a markdown robot message (robot code = app key) and a card update as text', async () => {
    const cards = fake.requestsTo('/v1.0/card/instances/createAndDeliver').length;
    await deliverer.deliver(msg('no-cards', { kind: 'card', card }));
    await deliverer.deliver(msg('no-cards', { kind: 'cardUpdate', cardId: 'task-1', resultText: '李销售 已认领' }));
    expect(fake.requestsTo('/v1.0/card/instances/createAndDeliver')).toHaveLength(cards);
    const [md, text] = fake.requestsTo('/v1.0/robot/oToMessages/batchSend').slice(-2).map((r) => r.body as Record<string, string>);
    expect(md).toMatchObject({ robotCode: 'fake-app-key', userIds: ['dt-rep-li'], msgKey: 'sampleMarkdown' });
    expect(JSON.parse(md!.msgParam!)).toMatchObject({ title: '新线索' });
    expect(JSON.parse(md!.msgParam!).text).toContain('孙主任 移动DR');
    expect(text).toMatchObject({ msgKey: 'sampleText', msgParam: JSON.stringify({ content: '李销售 已认领' }) });
  });

  it('a tenant without a DingTalk channel is a permanent failure; changed credentials get a new client', async () => {
    await expect(deliverer.deliver(msg('nobody', { kind: 'text', text: 'x' }))).rejects.toMatchObject({ retryable: false, code: 'no_channel' });
    await expect(deliverer.deliver(msg('nobody', { kind: 'text', text: 'x' }))).rejects.toBeInstanceOf(PlatformApiError);
    const a = await deliverer.client('no-cards');
    expect(await deliverer.client('no-cards')).toBe(a);
    envs.set('no-cards', { appKey: 'fake-app-key', appSecret: 'fake-app-secret', robotCode: 'rc2' });
    expect(await deliverer.client('no-cards')).not.toBe(a);
  });
});

// Exactly one message as people see it: every send of an outbox row carries DingTalk's own id, and a repeat
// (after a crash, a lost answer) is taken as sent however DingTalk answers it: as the first time, or "repeat".
describe.each(['idempotent', 'reject'] as const)('DingTalk deliverer, a send repeated with its key (DingTalk answering a repeat: %s)', (mode) => {
  const fake = new FakeDingtalkServer({ repeatedIds: mode });
  let deliverer: ReturnType<typeof createDingtalkDeliverer>;
  beforeAll(async () => {
    const { url } = await fake.start();
    fake.unionIds.set('dt-mgr-chen', 'u-mgr-chen');
    const env: DingtalkEnv = { appKey: 'fake-app-key', appSecret: 'fake-app-secret', robotCode: 'rc', cardTemplateId: 'tpl.schema' };
    deliverer = createDingtalkDeliverer({ apiBase: url, oapiBase: url, tokens: new TokenCache(new DingtalkMemoryTokenStore()), channel: async () => env, todoRetryDelayMs: 10 });
  });
  afterAll(() => fake.stop());

  const to = { userIds: ['dt-rep-li'], conversationType: 'single' as const, replyUrl: 'http://127.0.0.1:9/robot/sendBySession?session=x' };
  const out = (reply: OutboundMessage['reply'], recipient: OutboundMessage['to'] = to): OutboundMessage => ({ platform: 'dingtalk', tenantId: 't', to: recipient, reply });

  it('text and markdown go as the robot\'s ordinary card keyed by the attempt key, to the user or the group, and a repeat shows nothing new', async () => {
    await deliverer.deliver(out({ kind: 'text', text: '已记录：王总' }), { key: 'kelu-text-1', retry: false });
    await deliverer.deliver(out({ kind: 'text', text: '已记录：王总' }), { key: 'kelu-text-1', retry: true });
    await deliverer.deliver(out({ kind: 'markdown', text: '**周报**' }, { conversationId: 'cidG==', conversationType: 'group' }), { key: 'kelu-md-1', retry: false });
    await deliverer.deliver(out({ kind: 'markdown', text: '**周报**' }, { conversationId: 'cidG==', conversationType: 'group' }), { key: 'kelu-md-1', retry: true });
    expect(fake.shown.map((m) => [m.via, m.to, m.text, m.key])).toEqual([
      ['standardCard', 'dt-rep-li', '已记录：王总', 'kelu-text-1'],
      ['standardCard', 'cidG==', '**周报**', 'kelu-md-1'],
    ]);
    expect(fake.repeatedIds).toBe(2);
    const [first] = fake.requestsTo('/v1.0/im/v1.0/robot/interactiveCards/send');
    expect(first!.body).toMatchObject({ cardTemplateId: 'StandardCard', cardBizId: 'kelu-text-1', robotCode: 'rc', singleChatReceiver: '{"userId":"dt-rep-li"}' });
    expect(JSON.parse((first!.body as { cardData: string }).cardData)).toEqual({ config: { autoLayout: true, enableForward: true }, contents: [{ type: 'text', text: '已记录：王总', id: 'text_1' }] });
    expect(fake.requestsTo('/robot/sendBySession')).toHaveLength(0);
  });

  it('several users: one card each, keyed by the key and their place in the list', async () => {
    const three = { userIds: ['dt-a', 'dt-b', 'dt-c'], conversationType: 'single' as const };
    await deliverer.deliver(out({ kind: 'text', text: '三人同知' }, three), { key: 'kelu-many', retry: false });
    await deliverer.deliver(out({ kind: 'text', text: '三人同知' }, three), { key: 'kelu-many', retry: true });
    expect(fake.shown.filter((m) => m.text === '三人同知').map((m) => [m.to, m.key])).toEqual([['dt-a', 'kelu-many-0'], ['dt-b', 'kelu-many-1'], ['dt-c', 'kelu-many-2']]);
  });

  it('a template card repeated with its outTrackId, and the todo behind it, show once; the todo made earlier is said, not hidden', async () => {
    const card = { cardId: `task-rep-${mode}`, title: '待办：王总', buttons: [{ key: 'take', text: '我来跟进' }], todo: { subject: '跟进 王总' } };
    const msg = out({ kind: 'card', card }, { userIds: ['dt-mgr-chen'], conversationType: 'single' });
    const first = await deliverer.deliver(msg, { key: 'kelu-card-1', retry: false });
    const again = await deliverer.deliver(msg, { key: 'kelu-card-1', retry: true });
    expect(fake.shown.filter((m) => m.key === card.cardId)).toHaveLength(1);
    expect([...fake.todos.values()].filter((t) => t.sourceId === card.cardId)).toHaveLength(1);
    expect(first).toMatchObject({ cardRef: { todos: [{ unionId: 'u-mgr-chen' }] } });
    expect(again).toEqual({ todoError: expect.stringContaining('made by an earlier attempt') });
  });

  it('a refusal that is not a repeat ("user does not exist") is not taken as sent', async () => {
    const outside = { userIds: ['$:LWCP_v1:$outside=='], conversationType: 'single' as const };
    await expect(deliverer.deliver(out({ kind: 'text', text: '外部' }, outside), { key: 'kelu-outside', retry: false })).rejects.toMatchObject({ retryable: false, code: 'param.userIdNotExist' });
    expect(fake.shown.filter((m) => m.text === '外部')).toHaveLength(0);
  });
});
