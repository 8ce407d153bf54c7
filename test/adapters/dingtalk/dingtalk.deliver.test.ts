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
