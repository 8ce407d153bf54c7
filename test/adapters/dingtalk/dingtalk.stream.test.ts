import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { startDingtalkStream, type DingtalkStream } from '../../../src/adapters/dingtalk/dingtalk.stream.js';
import { FakeDingtalkServer } from '../../fakes/fake-dingtalk-server.js';

const robotMsg = (n: number) => ({
  msgId: `msgId-${n}`,
  msgtype: 'text',
  text: { content: `@Kelu 李总 第${n}条` },
  conversationId: 'cid==',
  conversationType: '1',
  senderId: '$:LWCP_v1:$s==',
  senderStaffId: 'staff1',
  createAt: 1718001000000 + n,
});

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('DingTalk Stream with the real SDK against the fake gateway', () => {
  let fake: FakeDingtalkServer;
  let gatewayUrl: string;
  let stream: DingtalkStream | undefined;

  beforeEach(async () => {
    fake = new FakeDingtalkServer({ redeliverDelayMs: 30 });
    ({ gatewayUrl } = await fake.start());
    // The SDK announces connects and socket errors on the console; keep test output readable.
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    stream?.stop();
    stream = undefined;
    await fake.stop();
    jest.restoreAllMocks();
  });

  const start = (over: Partial<Parameters<typeof startDingtalkStream>[0]> = {}) =>
    startDingtalkStream({
      appKey: 'fake-app-key',
      appSecret: 'fake-app-secret',
      gatewayUrl,
      backoffMs: 20,
      maxBackoffMs: 200,
      onRobotMessage: async () => undefined,
      onCardCallback: async () => undefined,
      ...over,
    });

  it('opens the connection at the configured gateway with callback subscriptions only', async () => {
    stream = await start();
    await until(() => fake.openConnections === 1);
    expect(fake.gatewayOpens).toEqual([
      {
        clientId: 'fake-app-key',
        subscriptions: [
          { type: 'CALLBACK', topic: '/v1.0/im/bot/messages/get' },
          { type: 'CALLBACK', topic: '/v1.0/card/instances/callback' },
        ],
      },
    ]);
    await fake.ping(); // the SDK answers system pings
  });

  it('acks a robot message only after the handler resolves', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: unknown[] = [];
    stream = await start({
      onRobotMessage: async (raw) => {
        seen.push(raw);
        await gate;
      },
    });
    await until(() => fake.openConnections === 1);
    const id = fake.pushRobotMessage(robotMsg(1));
    await until(() => seen.length === 1);
    expect(seen[0]).toEqual(robotMsg(1));
    await fake.ping(); // answered after every earlier frame: an early ACK would be here by now
    expect(fake.acks).toHaveLength(0); // still storing: no ACK yet
    release();
    await until(() => fake.successAcks(id) === 1);
    expect(fake.acks[0]).toMatchObject({ messageId: id, code: 200, data: { response: {} } });
    expect(fake.unackedIds).toEqual([]);
  });

  it('a handler that throws is not acked; the redelivery is handled and acked', async () => {
    let calls = 0;
    stream = await start({
      onRobotMessage: async () => {
        if (++calls === 1) throw new Error('inbox down');
      },
    });
    await until(() => fake.openConnections === 1);
    const id = fake.pushRobotMessage(robotMsg(2));
    await until(() => fake.successAcks(id) === 1);
    expect(calls).toBe(2);
    expect(fake.deliveries.get(id)).toBe(2);
    expect(fake.acks.map((a) => a.code)).toEqual([500, 200]);
    expect(stream.stats).toMatchObject({ handled: 2, nacked: 1, acked: 1 });
  });

  it('card callbacks are acked with the handler response', async () => {
    stream = await start({ onCardCallback: async () => ({ cardData: { cardParamMap: { handled: 'true' } } }) });
    await until(() => fake.openConnections === 1);
    const id = fake.pushCardCallback({ outTrackId: 'task_1', userId: 'u1', content: '{"cardPrivateData":{"actionIds":["a"],"params":{"actionKey":"claim"}}}' });
    await until(() => fake.successAcks(id) === 1);
    expect(fake.acks[0].data).toEqual({ response: { cardData: { cardParamMap: { handled: 'true' } } } });
  });

  it('reconnects after the connection drops mid-stream; every message handled once, none acked twice', async () => {
    const calls = new Map<string, number>();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    stream = await start({
      onRobotMessage: async (raw) => {
        const { msgId } = raw as { msgId: string };
        calls.set(msgId, (calls.get(msgId) ?? 0) + 1);
        if (Number(msgId.split('-')[1]) < 10) await gate; // the first batch is still being stored when the link dies
      },
    });
    await until(() => fake.openConnections === 1);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(fake.pushRobotMessage(robotMsg(i)));
    await until(() => calls.size === 10);
    fake.dropConnection();
    for (let i = 10; i < 20; i++) ids.push(fake.pushRobotMessage(robotMsg(i))); // queued while down
    // On the new connection the gateway redelivers the first batch (still in flight here) and sends the rest.
    await until(() => fake.connectionCount === 2 && ids.slice(10).every((id) => fake.successAcks(id) === 1));
    await until(() => ids.slice(0, 10).every((id) => fake.deliveries.get(id) === 2));
    release();
    await until(() => fake.unackedIds.length === 0);

    expect([...calls.values()]).toEqual(Array(20).fill(1));
    for (const id of ids) expect(fake.successAcks(id)).toBe(1);
    expect(stream.stats).toMatchObject({ handled: 20, duplicates: 10, acked: 20, nacked: 0 });
  });

  it('an ACK lost with the connection is re-sent on redelivery without running the handler again', async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    stream = await start({
      onRobotMessage: async () => {
        calls++;
        await gate;
      },
    });
    await until(() => fake.openConnections === 1);
    const id = fake.pushRobotMessage(robotMsg(7));
    await until(() => calls === 1);
    fake.dropConnection();
    await until(() => !stream!.client.connected);
    release(); // stored while offline: the ACK cannot go out now
    await until(() => fake.successAcks(id) === 1);
    expect(calls).toBe(1);
    expect(fake.deliveries.get(id)).toBe(2);
    expect(stream.stats.duplicates).toBe(1);
    await fake.ping();
    expect(fake.successAcks(id)).toBe(1);
  });

  it('backs off while the gateway refuses, then connects', async () => {
    fake.failGatewayOpens(3);
    const t0 = Date.now();
    stream = await start();
    await until(() => fake.openConnections === 1);
    // 20 + 40 + 80 ms (±20% jitter) of backoff before the fourth open succeeds.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    expect(fake.gatewayOpens).toHaveLength(1);
  });

  it('reconnects after the gateway says disconnect', async () => {
    stream = await start();
    await until(() => fake.openConnections === 1);
    fake.sendDisconnect();
    await until(() => fake.connectionCount === 2 && fake.openConnections === 1);
    const id = fake.pushRobotMessage(robotMsg(3));
    await until(() => fake.successAcks(id) === 1);
  });

  it('stop() closes the socket and does not reconnect', async () => {
    stream = await start();
    await until(() => fake.openConnections === 1);
    stream.stop();
    await until(() => fake.openConnections === 0);
    await stream.client.connect(); // where the SDK's reconnect timer ends: a no-op after stop()
    expect(fake.connectionCount).toBe(1);
    expect(fake.gatewayOpens).toHaveLength(1);
  });
});
