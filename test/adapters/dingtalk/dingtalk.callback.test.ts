import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { backends, openTestDatabase, type TestDatabase } from '../../helpers/test-db.js';
import { DINGTALK, dingtalkAnswers, inboxRows, nonEmpty, outboxRows, seedTenant, settled, startHarness, waitFor, type Harness } from '../../helpers/harness.js';
import { json } from '../../helpers/test-app.js';
import { eventCrypto, postEvent, postRobot, robotMessage } from './dingtalk.helpers.js';
import { NOTHING_FOUND_TEXT } from '../../../src/bot/leads.flow.js';

describe.each(backends)('DingTalk HTTP callbacks end to end on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await seedTenant(t.database);
    h = await startHarness(t.database);
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  const webhookSends = (session?: string) => h.dingtalk.requestsTo('/robot/sendBySession').filter((r) => !session || r.query.session === session);
  const msg = (msgId: string, text = '你好') => robotMessage({ msgId, text, fakeUrl: h.dingtalk.url });

  it('answers a signed robot callback with 200 {}, processes it from the inbox and replies with a card keyed by the outbox row', async () => {
    const res = await postRobot(h.server, msg('dt-msg-1', '@Kelu 你好'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const [answer, ...more] = await waitFor(async () => nonEmpty(await dingtalkAnswers(h, t.database, 'dt-msg-1')), 10_000, 'the answer');
    expect(more).toHaveLength(0);
    expect(answer).toMatchObject({ via: 'standardCard', to: 'dt-rep-li', text: NOTHING_FOUND_TEXT });
    expect(answer!.body).toMatchObject({ cardTemplateId: 'StandardCard', robotCode: DINGTALK.robotCode, singleChatReceiver: JSON.stringify({ userId: 'dt-rep-li' }) });
    // The key is DingTalk's idempotency id; the session webhook has none, so it is not used.
    expect(webhookSends('s-dt-msg-1')).toHaveLength(0);
    const row = await waitFor(async () => (await inboxRows(t.database)).find((r) => r.event_id === 'dt-msg-1' && r.status === 'done'), 5_000, 'inbox done');
    expect(row.kind).toBe('text');
    await waitFor(async () => (await outboxRows(t.database)).find((r) => r.payload.platform === 'dingtalk' && r.status === 'done'), 5_000, 'outbox done');
  });

  it('a sender from outside the organisation (no staff id, no card address) is answered on the session webhook', async () => {
    const { senderStaffId: _, ...m } = msg('dt-msg-outside', '外部');
    expect((await postRobot(h.server, m)).status).toBe(200);
    await waitFor(async () => webhookSends('s-dt-msg-outside').length > 0, 10_000, 'reply on the session webhook');
    // Not bound to a Kelu user, so the bot says so; what matters here is the way it is said.
    expect(webhookSends('s-dt-msg-outside')[0]!.body).toEqual({ msgtype: 'text', text: { content: expect.stringContaining('还没有绑定客路用户') } });
    // The card was tried first and turned down (no staff id): nothing shown twice.
    expect(h.dingtalk.requestsTo('/v1.0/im/v1.0/robot/interactiveCards/send').filter((r) => JSON.stringify(r.body).includes('LWCP'))).toHaveLength(1);
    expect(h.dingtalk.shown.filter((s) => s.to === 's-dt-msg-outside')).toHaveLength(1);
    expect(await dingtalkAnswers(h, t.database, 'dt-msg-outside')).toHaveLength(0);
  });

  it('turns three deliveries of one msgId into one inbox row and one reply', async () => {
    const body = JSON.stringify(msg('dt-msg-dup', '重复三次'));
    const results = await Promise.all([postRobot(h.server, body), postRobot(h.server, body), postRobot(h.server, body)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await waitFor(async () => nonEmpty(await dingtalkAnswers(h, t.database, 'dt-msg-dup')), 10_000, 'reply');
    await settled(h);
    expect(await dingtalkAnswers(h, t.database, 'dt-msg-dup')).toHaveLength(1);
    const rows = (await inboxRows(t.database)).filter((r) => r.event_id === 'dt-msg-dup');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.attempts).toBe(1);
  });

  describe('robot callback rejections', () => {
    const count = async () => (await inboxRows(t.database)).length;
    const expectRejected = async (res: Response, status: number, code: string) => {
      expect(res.status).toBe(status);
      const body = await json(res);
      expect(body.error.code).toBe(code);
      expect(JSON.stringify(body)).not.toContain(DINGTALK.appSecret);
      expect(JSON.stringify(body)).not.toContain('13912349876');
    };
    const secretMsg = (id: string) => msg(id, '客户手机 13912349876');

    it('missing sign, wrong sign, sign made with another secret → 401 invalid_signature, nothing stored', async () => {
      const n = await count();
      await expectRejected(await postRobot(h.server, secretMsg('bad-1'), { sign: null }), 401, 'invalid_signature');
      await expectRejected(await postRobot(h.server, secretMsg('bad-2'), { sign: 'AAAA' }), 401, 'invalid_signature');
      await expectRejected(await postRobot(h.server, secretMsg('bad-3'), { secret: 'someone-elses-secret' }), 401, 'invalid_signature');
      const noTimestamp = await fetch(`${h.server.url}/dingtalk/robot`, { method: 'POST', headers: { sign: 'x' }, body: JSON.stringify(secretMsg('bad-4')) });
      await expectRejected(noTimestamp, 401, 'invalid_signature');
      expect(await count()).toBe(n);
    });

    it('a correctly signed timestamp more than an hour old or ahead → 401 stale_timestamp', async () => {
      const n = await count();
      await expectRejected(await postRobot(h.server, secretMsg('old-1'), { timestamp: Date.now() - 3_700_000 }), 401, 'stale_timestamp');
      await expectRejected(await postRobot(h.server, secretMsg('old-2'), { timestamp: Date.now() + 3_700_000 }), 401, 'stale_timestamp');
      // Just inside the window is accepted.
      expect((await postRobot(h.server, msg('old-3'), { timestamp: Date.now() - 3_500_000 })).status).toBe(200);
      expect(await count()).toBe(n + 1);
    });

    it('malformed JSON → 400 malformed_json; JSON that is not a robot message → 400 invalid_payload; logged without the payload', async () => {
      const n = await count();
      await expectRejected(await postRobot(h.server, '{"msgId": "x", "text": {"content": "13912349876"'), 400, 'malformed_json');
      await expectRejected(await postRobot(h.server, { hello: '13912349876' }), 400, 'invalid_payload');
      expect(await count()).toBe(n);
      const logs = h.logs.join('');
      expect(logs).toContain('dingtalk callback rejected');
      expect(logs).not.toContain('13912349876');
      expect(logs).not.toContain(DINGTALK.appSecret);
    });

    it('a body over the limit → 413, an unsigned one over the limit → 401 (verified first)', async () => {
      const n = await count();
      const big = JSON.stringify({ ...msg('big-1'), text: { content: 'A'.repeat(1024 * 1024 + 10) } });
      await expectRejected(await postRobot(h.server, big), 413, 'payload_too_large');
      await expectRejected(await postRobot(h.server, big, { sign: null }), 401, 'invalid_signature');
      expect(await count()).toBe(n);
    });

    it('unknown tenant → 404; a named tenant with a DingTalk channel works', async () => {
      await expectRejected(await postRobot(h.server, msg('t-1'), { path: '/dingtalk/robot/no-such-tenant' }), 404, 'not_found');
      await expectRejected(await postRobot(h.server, msg('t-2'), { path: '/dingtalk/robot/bad%20id' }), 404, 'not_found');
      await seedTenant(t.database, 'acme');
      expect((await postRobot(h.server, msg('t-3'), { path: '/dingtalk/robot/acme' })).status).toBe(200);
      const rows = await inboxRows(t.database);
      expect(rows.filter((r) => r.event_id === 't-3')).toHaveLength(1);
    });
  });

  describe('event subscription', () => {
    it('check_url → 200 with an encrypted "success" that DingTalk can verify and open; nothing stored', async () => {
      const n = (await inboxRows(t.database)).length;
      const res = await postEvent(h.server, { EventType: 'check_url' });
      expect(res.status).toBe(200);
      const reply = (await res.json()) as { msg_signature: string; timeStamp: string; nonce: string; encrypt: string };
      expect(Object.keys(reply).sort()).toEqual(['encrypt', 'msg_signature', 'nonce', 'timeStamp']);
      const c = eventCrypto();
      expect(c.open(reply.msg_signature, reply.timeStamp, reply.nonce, reply.encrypt)).toEqual({ message: 'success', receiveId: DINGTALK.appKey });
      expect((await inboxRows(t.database)).length).toBe(n);
    });

    it('a member event is stored once per user and answered with encrypted success; a retry stores nothing new', async () => {
      const push = { EventType: 'user_add_org', TimeStamp: '1718001234567', CorpId: 'ding0123', UserId: ['dt-new-1', 'dt-new-2'] };
      for (let i = 0; i < 2; i++) {
        const res = await postEvent(h.server, push);
        expect(res.status).toBe(200);
        const reply = (await res.json()) as { msg_signature: string; timeStamp: string; nonce: string; encrypt: string };
        expect(eventCrypto().open(reply.msg_signature, reply.timeStamp, reply.nonce, reply.encrypt).message).toBe('success');
      }
      const rows = (await inboxRows(t.database)).filter((r) => r.event_id.startsWith('user_add_org:1718001234567:'));
      expect(rows.map((r) => [r.event_id, r.kind])).toEqual([
        ['user_add_org:1718001234567:dt-new-1', 'memberChange'],
        ['user_add_org:1718001234567:dt-new-2', 'memberChange'],
      ]);
    });

    it('bad signature → 401, stale → 401, another app\'s receive id → 400, not JSON → 400, no channel → 404', async () => {
      const n = (await inboxRows(t.database)).length;
      const push = { EventType: 'user_leave_org', TimeStamp: '1718009999999', UserId: ['dt-gone'] };
      const code = async (res: Response) => [res.status, (await json(res)).error.code];
      expect(await code(await postEvent(h.server, push, { badSignature: true }))).toEqual([401, 'invalid_signature']);
      expect(await code(await postEvent(h.server, push, { timestamp: Date.now() - 3_700_000 }))).toEqual([401, 'stale_timestamp']);
      expect(await code(await postEvent(h.server, push, { ownerKey: 'dingother' }))).toEqual([400, 'crypto_receive_id_mismatch']);
      const notJson = await fetch(`${h.server.url}/dingtalk/events?signature=a&timestamp=${Date.now()}&nonce=n`, { method: 'POST', body: '{encrypt' });
      expect(await code(notJson)).toEqual([400, 'malformed_json']);
      expect(await code(await postEvent(h.server, push, { path: '/dingtalk/events/no-such-tenant' }))).toEqual([404, 'not_found']);
      expect((await inboxRows(t.database)).length).toBe(n);
    });
  });
});
