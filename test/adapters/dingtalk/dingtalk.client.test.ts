import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DingtalkClient } from '../../../src/adapters/dingtalk/dingtalk.client.js';
import { PlatformApiError } from '../../../src/lib/platform-error.js';
import { TokenCache } from '../../../src/lib/token-cache.js';
import { DingtalkMemoryTokenStore } from '../../fakes/dingtalk-memory-token-store.js';
import { FakeDingtalkServer } from '../../fakes/fake-dingtalk-server.js';

const SECRET = 'fake-app-secret';

describe('DingtalkClient against the fake DingTalk', () => {
  let fake: FakeDingtalkServer;
  let store: DingtalkMemoryTokenStore;
  let client: DingtalkClient;

  const make = (over: Partial<ConstructorParameters<typeof DingtalkClient>[0]> = {}) =>
    new DingtalkClient({
      tenantId: 't1',
      apiBase: fake.url,
      oapiBase: fake.url,
      appKey: 'fake-app-key',
      appSecret: SECRET,
      robotCode: 'dingrobot001',
      cardTemplateId: 'tpl-001.schema',
      tokens: new TokenCache(store),
      timeoutMs: 300,
      ...over,
    });

  beforeEach(async () => {
    fake = new FakeDingtalkServer();
    await fake.start();
    store = new DingtalkMemoryTokenStore();
    client = make();
  });
  afterEach(() => fake.stop());

  it('fetches the token once, caches it, and sends it in x-acs-dingtalk-access-token', async () => {
    await client.sendToUsers(['u1'], { msgKey: 'sampleText', msgParam: { content: '你好' } });
    await client.sendToGroup('cidGroup==', { msgKey: 'sampleMarkdown', msgParam: { title: 't', text: '**x**' } });
    expect(fake.requestsTo('/v1.0/oauth2/accessToken')).toHaveLength(1);
    expect(fake.requestsTo('/v1.0/oauth2/accessToken')[0].body).toEqual({ appKey: 'fake-app-key', appSecret: SECRET });
    const [batch] = fake.requestsTo('/v1.0/robot/oToMessages/batchSend');
    expect(batch.headers['x-acs-dingtalk-access-token']).toBe('fake-token-1');
    expect(batch.body).toEqual({ robotCode: 'dingrobot001', userIds: ['u1'], msgKey: 'sampleText', msgParam: '{"content":"你好"}' });
    expect(fake.requestsTo('/v1.0/robot/groupMessages/send')[0].body).toMatchObject({ openConversationId: 'cidGroup==', msgKey: 'sampleMarkdown' });
    expect(store.saved.map((s) => s.key)).toEqual([{ tenantId: 't1', platform: 'dingtalk', kind: 'access_token' }]);
  });

  it('a second client (another instance) reuses the stored token', async () => {
    await client.getAccessToken();
    const other = make({ tokens: new TokenCache(store) });
    expect(await other.getAccessToken()).toBe('fake-token-1');
    expect(fake.requestsTo('/v1.0/oauth2/accessToken')).toHaveLength(1);
  });

  it('refreshes once and retries when DingTalk says the token is invalid', async () => {
    await client.getAccessToken();
    fake.expireTokens();
    await client.sendToUsers(['u1'], { msgKey: 'sampleText', msgParam: { content: 'x' } });
    const sends = fake.requestsTo('/v1.0/robot/oToMessages/batchSend');
    expect(sends.map((r) => r.headers['x-acs-dingtalk-access-token'])).toEqual(['fake-token-1', 'fake-token-2']);
  });

  it('refreshes for oapi too (errcode 40014 with HTTP 200) and passes access_token as a query', async () => {
    await client.getAccessToken();
    fake.expireTokens();
    expect(await client.getUser('0123')).toEqual({ userId: '0123', unionId: 'union-0123', name: '王小明' });
    expect(fake.requestsTo('/topapi/v2/user/get').map((r) => r.query.access_token)).toEqual(['fake-token-1', 'fake-token-2']);
  });

  it('gives up after the fresh token is rejected too, without retrying forever', async () => {
    fake.failNext('/v1.0/robot', 'expiredToken', 5);
    const err = await client.sendToUsers(['u1'], { msgKey: 'sampleText', msgParam: { content: 'x' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformApiError);
    expect((err as PlatformApiError).retryable).toBe(false);
    expect(fake.requestsTo('/v1.0/robot/oToMessages/batchSend')).toHaveLength(2);
  });

  it.each([
    ['5xx', true, 502],
    ['429', true, 429],
    ['throttle', true, 403],
    ['badRequest', false, 400],
  ] as const)('classifies %s as retryable=%s', async (kind, retryable, status) => {
    fake.failNext('/v1.0/robot', kind);
    const err = await client.sendToGroup('cid==', { msgKey: 'sampleText', msgParam: { content: 'x' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformApiError);
    expect(err).toMatchObject({ retryable, httpStatus: status });
    expect(String((err as Error).message)).not.toContain('fake-token');
  });

  it('classifies a timeout as retryable', async () => {
    fake.failNext('/v1.0/robot', 'timeout');
    const err = await client.sendToGroup('cid==', { msgKey: 'sampleText', msgParam: { content: 'x' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'PlatformApiError', retryable: true, code: 'timeout' });
  });

  it('classifies a refused connection as retryable', async () => {
    await fake.stop();
    const err = await client.getAccessToken().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'PlatformApiError', retryable: true, code: 'network' });
  });

  it('a wrong secret is permanent and never appears in the error', async () => {
    const bad = make({ appSecret: 'wrong-secret-123' });
    const err = await bad.getAccessToken().catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: false, httpStatus: 400 });
    expect(JSON.stringify({ m: (err as Error).message })).not.toMatch(/wrong-secret-123|fake-app-secret/);
  });

  it('oapi errors keep the token out of the message', async () => {
    const err = await client.getUser('missing').catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: false, code: 60121 });
    expect((err as Error).message).not.toContain('access_token=');
  });

  it('creates and completes todos', async () => {
    const due = new Date('2024-06-12T02:00:00.000Z');
    const { id } = await client.createTodo('unionCreator', { sourceId: 'task_01', subject: '回访李总', description: '确认报价', dueTime: due, executorIds: ['unionRep'], detailUrl: 'https://kelu.example/t/task_01' });
    await client.completeTodo('unionCreator', id);
    const [create] = fake.requestsTo('/v1.0/todo/users/unionCreator/tasks');
    expect(create.body).toEqual({
      sourceId: 'task_01', subject: '回访李总', description: '确认报价', dueTime: due.getTime(), executorIds: ['unionRep'],
      detailUrl: { appUrl: 'https://kelu.example/t/task_01', pcUrl: 'https://kelu.example/t/task_01' },
    });
    const [done] = fake.requestsTo(`/v1.0/todo/users/unionCreator/tasks/${id}`);
    expect(done).toMatchObject({ method: 'PUT', body: { done: true } });
  });

  describe('deliver', () => {
    it('uses a live sessionWebhook without a token', async () => {
      await client.deliver({ replyUrl: `${fake.url}/robot/sendBySession?session=s1`, replyUrlExpiresAt: new Date(Date.now() + 60_000).toISOString() }, { kind: 'text', text: '收到' });
      expect(fake.requestsTo('/robot/sendBySession')[0].body).toEqual({ msgtype: 'text', text: { content: '收到' } });
      expect(fake.requestsTo('/v1.0/oauth2/accessToken')).toHaveLength(0);
    });

    it('falls back to a robot send when the sessionWebhook has expired', async () => {
      await client.deliver(
        { replyUrl: `${fake.url}/robot/sendBySession?session=s1`, replyUrlExpiresAt: new Date(Date.now() - 1).toISOString(), conversationId: 'cid==', conversationType: 'group' },
        { kind: 'markdown', title: '新线索', text: '**李总**' },
      );
      expect(fake.requestsTo('/robot/sendBySession')).toHaveLength(0);
      expect(fake.requestsTo('/v1.0/robot/groupMessages/send')[0].body).toMatchObject({ msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title: '新线索', text: '**李总**' }) });
    });

    it('batches user sends by 20', async () => {
      const userIds = Array.from({ length: 45 }, (_, i) => `u${i}`);
      await client.deliver({ userIds }, { kind: 'text', text: 'hi' });
      expect(fake.requestsTo('/v1.0/robot/oToMessages/batchSend').map((r) => (r.body as { userIds: string[] }).userIds.length)).toEqual([20, 20, 5]);
    });

    it('sends a card to a group with Stream callbacks, then updates it', async () => {
      await client.deliver({ conversationId: 'cidG==', conversationType: 'group' }, { kind: 'card', card: { cardId: 'task_9', title: '新线索', buttons: [{ key: 'claim', text: '认领' }] } });
      await client.deliver({}, { kind: 'cardUpdate', cardId: 'task_9', resultText: '王小明 已认领' });
      const [send] = fake.requestsTo('/v1.0/card/instances/createAndDeliver');
      expect(send.body).toMatchObject({
        cardTemplateId: 'tpl-001.schema', outTrackId: 'task_9', callbackType: 'STREAM', openSpaceId: 'dtv1.card//IM_GROUP.cidG==',
        imGroupOpenDeliverModel: { robotCode: 'dingrobot001' },
      });
      const [update] = fake.requestsTo('/v1.0/card/instances');
      expect(update).toMatchObject({ method: 'PUT', body: { outTrackId: 'task_9', cardData: { cardParamMap: { handled: 'true', resultText: '王小明 已认领', buttons: '[]' } } } });
    });

    it('sends a card to a single user in the robot chat', async () => {
      await client.deliver({ userIds: ['u7'] }, { kind: 'card', card: { cardId: 'task_10', title: '回访提醒' } });
      expect(fake.requestsTo('/v1.0/card/instances/createAndDeliver')[0].body).toMatchObject({
        outTrackId: 'task_10', openSpaceId: 'dtv1.card//IM_ROBOT.u7', imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: 'dingrobot001' },
      });
    });

    it('refuses a reply with no recipient, permanently', async () => {
      await expect(client.deliver({}, { kind: 'text', text: 'x' })).rejects.toMatchObject({ retryable: false });
    });
  });
});
