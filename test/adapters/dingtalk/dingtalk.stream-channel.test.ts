import { describe, expect, it, beforeAll, afterAll, jest } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../../helpers/test-db.js';
import { DINGTALK, inboxRows, seedTenant, settled, startHarness, waitFor, type Harness, dingtalkStream, dingtalkAnswers } from '../../helpers/harness.js';
import { robotMessage } from './dingtalk.helpers.js';

describe.each(backends)('DingTalk Stream mode end to end on %s (real SDK, fake gateway)', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    // The SDK announces connects and socket errors on the console.
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    t = await openTestDatabase(backend);
    await seedTenant(t.database);
    h = await startHarness(t.database, { env: { DINGTALK_STREAM: 'on' } });
    await waitFor(async () => h.dingtalk.openConnections === 1 && (dingtalkStream(h.runtime)?.running ?? false), 10_000, 'stream connection');
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
    jest.restoreAllMocks();
  });

  const replies = (msgId: string) => dingtalkAnswers(h, t.database, msgId);
  const push = (msgId: string, text = '你好') => h.dingtalk.pushRobotMessage(robotMessage({ msgId, text, fakeUrl: h.dingtalk.url }));

  it('connects once, for the default tenant, with its sealed credentials', () => {
    expect(h.dingtalk.gatewayOpens).toHaveLength(1);
    expect(h.dingtalk.gatewayOpens[0]!.clientId).toBe('fake-app-key');
  });

  it('stores a robot message, acks only after the insert commits, and replies once, keyed', async () => {
    // Hold the inbox table: the insert must wait, and so must the ACK.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = t.database.db.transaction(async (tx) => {
      await tx.execute(sql`lock table inbox_events in exclusive mode`);
      locked();
      await gate;
    });
    await isLocked;
    let id: string;
    try {
      id = push('st-1', '@Kelu 你好');
      await waitFor(async () => (h.dingtalk.deliveries.get(id) ?? 0) > 0, 5_000, 'delivered to the client');
      // The client answers a ping after every frame it received before it: had it acked before storing, the ACK would be here.
      await h.dingtalk.ping();
      expect(h.dingtalk.successAcks(id)).toBe(0);
    } finally {
      release();
      await holder;
    }
    await waitFor(async () => h.dingtalk.successAcks(id) === 1, 5_000, 'ack');
    expect((await inboxRows(t.database)).filter((r) => r.event_id === 'st-1')).toHaveLength(1);
    await waitFor(async () => (await replies('st-1')).length === 1, 10_000, 'reply');
    // What the bot says is the bot's business; this checks the DingTalk side: the robot's ordinary card to the sender.
    expect((await replies('st-1'))[0]).toMatchObject({ via: 'standardCard', to: 'dt-rep-li', body: { cardTemplateId: 'StandardCard' } });
  });

  it('a dropped WebSocket mid-stream: reconnects, loses nothing, doubles nothing', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `drop-${i}`);
    const opensBefore = h.dingtalk.gatewayOpens.length;
    // The first half is in flight (some stored, acks not yet out) when the connection dies.
    const first = ids.slice(0, 20).map((m) => push(m, `第${m}条`));
    await waitFor(async () => first.some((id) => h.dingtalk.successAcks(id) > 0) || first.every((id) => (h.dingtalk.deliveries.get(id) ?? 0) > 0), 5_000, 'first half delivered');
    h.dingtalk.dropConnection();
    // The second half is pushed while there is no connection; the gateway holds it.
    const second = ids.slice(20).map((m) => push(m, `第${m}条`));
    await waitFor(async () => h.dingtalk.gatewayOpens.length > opensBefore && h.dingtalk.openConnections === 1, 10_000, 'reconnect');
    await waitFor(async () => h.dingtalk.unackedIds.length === 0, 10_000, 'everything acked');
    for (const id of [...first, ...second]) expect(h.dingtalk.successAcks(id)).toBeGreaterThanOrEqual(1);

    const rows = (await inboxRows(t.database)).filter((r) => r.event_id.startsWith('drop-'));
    expect(rows.map((r) => r.event_id).sort()).toEqual([...ids].sort());
    const counts = async () => Promise.all(ids.map(async (m) => (await replies(m)).length));
    await waitFor(async () => (await counts()).every((n) => n >= 1), 15_000, 'every reply');
    await settled(h);
    expect(await counts()).toEqual(ids.map(() => 1));
    const processed = await waitFor(async () => {
      const now = (await inboxRows(t.database)).filter((r) => r.event_id.startsWith('drop-'));
      return now.every((r) => r.status === 'done') && now;
    }, 10_000, 'every row processed');
    expect(processed.map((r) => r.attempts)).toEqual(ids.map(() => 1));
  }, 40_000);

  it('a card button press over Stream is stored as a card action', async () => {
    const id = h.dingtalk.pushCardCallback({
      outTrackId: 'task-42', userId: 'dt-rep-li', spaceType: 'IM_ROBOT', spaceId: 'dt-rep-li',
      content: JSON.stringify({ cardPrivateData: { actionIds: ['claim'], params: { actionKey: 'claim' } } }),
    });
    await waitFor(async () => h.dingtalk.successAcks(id) === 1, 5_000, 'card ack');
    const row = (await inboxRows(t.database)).find((r) => r.event_id === 'card:task-42:dt-rep-li:claim');
    expect(row?.kind).toBe('cardAction');
  });

  it('an unmappable payload is acked and dropped rather than redelivered forever', async () => {
    const n = (await inboxRows(t.database)).length;
    const id = h.dingtalk.pushRobotMessage({ hello: 'not a robot message' });
    await waitFor(async () => h.dingtalk.successAcks(id) === 1, 5_000, 'ack');
    expect((await inboxRows(t.database)).length).toBe(n);
    expect(h.logs.join('')).toContain('dingtalk_stream_unmappable');
  });
});

describe('DingTalk Stream mode: off unless asked for; one connection per tenant with credentials, following the admin API', () => {
  beforeAll(() => {
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterAll(() => {
    jest.restoreAllMocks();
  });

  it('does not connect with DINGTALK_STREAM off, nor when no tenant has DingTalk credentials', async () => {
    const t = await openTestDatabase('pglite');
    try {
      await seedTenant(t.database);
      const off = await startHarness(t.database);
      // Started with stream mode off: no link exists to connect later.
      expect(off.runtime.status().dingtalk).toMatchObject({ mode: 'http' });
      expect(dingtalkStream(off.runtime)).toBeUndefined();
      expect(off.dingtalk.gatewayOpens).toHaveLength(0);
      await off.close();

      await t.database.query(sql`update tenants set channels = channels - 'dingtalk'`);
      const none = await startHarness(t.database, { env: { DINGTALK_STREAM: 'on' } });
      await waitFor(async () => none.logs.join('').includes('dingtalk_stream_no_credentials'), 5_000, 'refusal logged');
      expect(none.dingtalk.gatewayOpens).toHaveLength(0);
      expect(dingtalkStream(none.runtime)).toBeUndefined();
      await none.close();
    } finally {
      await t.drop();
    }
  });

  it('connects every tenant with credentials, opens and closes one as the admin API sets and removes them, and stop() disconnects for good', async () => {
    const t = await openTestDatabase('pglite');
    try {
      await seedTenant(t.database);
      await seedTenant(t.database, 'acme');
      await t.database.query(sql`update tenants set channels = channels - 'dingtalk' where tenant_id = 'default'`);
      const on = await startHarness(t.database, { env: { DINGTALK_STREAM: 'on' } });
      // Not only the default tenant: acme has credentials, default has none.
      await waitFor(async () => on.dingtalk.openConnections === 1 && (dingtalkStream(on.runtime, 'acme')?.running ?? false), 10_000, 'acme connected');
      expect(dingtalkStream(on.runtime, 'default')).toBeUndefined();

      const admin = (method: string, path: string, body?: unknown) => fetch(`${on.server.url}/api/v1/tenants${path}`, {
        method, headers: { authorization: 'Bearer harness-admin-token-0123', 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect((await admin('PUT', '/default/channels/dingtalk', DINGTALK)).status).toBe(200);
      await waitFor(async () => on.dingtalk.openConnections === 2 && (dingtalkStream(on.runtime, 'default')?.running ?? false), 10_000, 'default connected');
      const ready = (await (await fetch(`${on.server.url}/readyz`)).json()) as { channels: { dingtalk: { mode: string; tenants: Record<string, { running: boolean }> } } };
      expect(ready.channels.dingtalk.mode).toBe('stream');
      expect(Object.keys(ready.channels.dingtalk.tenants).sort()).toEqual(['acme', 'default']);

      expect((await admin('DELETE', '/acme/channels/dingtalk')).status).toBe(200);
      await waitFor(async () => on.dingtalk.openConnections === 1, 5_000, 'acme disconnected');
      expect(dingtalkStream(on.runtime, 'acme')).toBeUndefined();
      expect((await admin('DELETE', '/acme/channels/dingtalk')).status).toBe(404);
      const opens = on.dingtalk.gatewayOpens.length;
      const link = dingtalkStream(on.runtime, 'default')!;

      await on.runtime.stop();
      await waitFor(async () => on.dingtalk.openConnections === 0, 5_000, 'disconnected');
      // Whatever asks it to start again after stop (a credentials change, a late timer) gets nothing;
      // the client's own reconnect after stop is covered in dingtalk.stream.test.ts.
      expect(link.running).toBe(false);
      await link.start();
      expect(link.running).toBe(false);
      expect(on.dingtalk.openConnections).toBe(0);
      expect(on.dingtalk.gatewayOpens).toHaveLength(opens);
      await on.close();
    } finally {
      await t.drop();
    }
  });
});
