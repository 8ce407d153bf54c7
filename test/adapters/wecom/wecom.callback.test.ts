import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../../helpers/test-db.js';
import { inboxRows, outboxRows, postWecom, settled, seedTenant, startHarness, textMessageXml, waitFor, wecomCallback, WECOM, type Harness } from '../../helpers/harness.js';
import { WecomCrypto } from '../../../src/adapters/wecom/wecom.crypto.js';
import { json } from '../../helpers/test-app.js';
import { NOTHING_FOUND_TEXT } from '../../../src/bot/leads.flow.js';

describe.each(backends)('WeCom callback end to end on %s', (backend) => {
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

  const sends = () => h.wecom.shown; // what the reps see (a retried send dropped by the duplicate check is not a reply)

  it('verifies the callback URL and answers the decrypted echostr as plain text', async () => {
    const c = new WecomCrypto(WECOM.token, WECOM.encodingAesKey);
    const echostr = c.encrypt('1616140317555161061', WECOM.corpId);
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = c.signature(ts, 'nonce1', echostr);
    const res = await fetch(`${h.server.url}/wecom/callback?msg_signature=${sig}&timestamp=${ts}&nonce=nonce1&echostr=${encodeURIComponent(echostr)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(await res.text()).toBe('1616140317555161061');
    const bad = await fetch(`${h.server.url}/wecom/callback?msg_signature=${sig.replace(/^./, 'f')}0&timestamp=${ts}&nonce=nonce1&echostr=${encodeURIComponent(echostr)}`);
    expect(bad.status).toBe(401);
  });

  it('acknowledges an encrypted text with an empty 200, processes it from the inbox and replies on the fake WeCom', async () => {
    const before = sends().length;
    const res = await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: '你好', msgId: '7001' })));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await waitFor(async () => sends().length > before, 10_000, 'reply');
    await waitFor(async () => (await outboxRows(t.database)).at(-1)?.status === 'done', 5_000, 'outbox row done');
    const reply = sends().at(-1)!.body as { touser: string; msgtype: string; text: { content: string } };
    expect(reply).toMatchObject({ touser: 'rep-li', msgtype: 'text', text: { content: NOTHING_FOUND_TEXT } });
    const row = (await inboxRows(t.database)).find((r) => r.event_id === '7001')!;
    expect(row.status).toBe('done');
    const out = await outboxRows(t.database);
    expect(out.at(-1)!.status).toBe('done');
    expect(out.at(-1)!.attempt_log).toHaveLength(1);
  });

  it('turns three deliveries of one MsgId into one inbox row, one processing and one reply', async () => {
    const before = sends().length;
    const cb = () => wecomCallback(textMessageXml({ from: 'rep-zhang', text: '重复三次', msgId: '7002' }));
    const results = await Promise.all([postWecom(h.server, cb()), postWecom(h.server, cb()), postWecom(h.server, cb())]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await waitFor(async () => sends().length > before, 10_000, 'reply');
    await settled(h);
    expect(sends().length - before).toBe(1);
    const rows = (await inboxRows(t.database)).filter((r) => r.event_id === '7002');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.attempts).toBe(1);
  });

  it('stores unknown event types and acknowledges them', async () => {
    const xml = `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[brand_new_event]]></Event><AgentID>1000002</AgentID></xml>`;
    expect((await postWecom(h.server, wecomCallback(xml))).status).toBe(200);
    const rows = await inboxRows(t.database);
    expect(rows.some((r) => r.kind === 'unknown')).toBe(true);
  });

  describe('bad input', () => {
    const count = async () => (await inboxRows(t.database)).length;
    const expectRejected = async (res: Response, status: number, code?: string) => {
      expect(res.status).toBe(status);
      const body = await json(res);
      if (code) expect(body.error.code).toBe(code);
      expect(JSON.stringify(body)).not.toContain(WECOM.token);
    };

    it('wrong signature → 401, nothing stored', async () => {
      const n = await count();
      await expectRejected(await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: 'x', msgId: '8001' }), { badSignature: true })), 401, 'invalid_signature');
      expect(await count()).toBe(n);
    });

    it('stale or future timestamp → 401', async () => {
      const n = await count();
      const now = Math.floor(Date.now() / 1000);
      await expectRejected(await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: 'x', msgId: '8002' }), { timestamp: now - 600 })), 401, 'stale_timestamp');
      await expectRejected(await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: 'x', msgId: '8003' }), { timestamp: now + 600 })), 401, 'stale_timestamp');
      expect(await count()).toBe(n);
    });

    it('undecryptable body, wrong ReceiveId, malformed XML, DOCTYPE → 400 with a code, logged without the payload', async () => {
      const n = await count();
      // A correctly signed envelope whose ciphertext is not a valid frame.
      const c = new WecomCrypto(WECOM.token, WECOM.encodingAesKey);
      const garbage = Buffer.alloc(64, 7).toString('base64');
      const ts = String(Math.floor(Date.now() / 1000));
      const sig = c.signature(ts, 'nn', garbage);
      await expectRejected(
        await fetch(`${h.server.url}/wecom/callback?msg_signature=${sig}&timestamp=${ts}&nonce=nn`, { method: 'POST', body: `<xml><Encrypt><![CDATA[${garbage}]]></Encrypt></xml>` }),
        400,
      );
      await expectRejected(await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: 'x', msgId: '8004' }), { corpId: 'ww-someone-else' })), 400, 'crypto_receive_id');
      await expectRejected(await postWecom(h.server, wecomCallback('<xml><MsgType>text</MsgType><Content>unclosed</xml>')), 400, 'xml_malformed');
      const secretPhone = '13912349876';
      const doctype = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x "${secretPhone}">]><xml><FromUserName>a</FromUserName><Content>&x;</Content></xml>`;
      await expectRejected(await postWecom(h.server, wecomCallback(doctype)), 400, 'xml_doctype');
      await expectRejected(await fetch(`${h.server.url}/wecom/callback?msg_signature=a&timestamp=1&nonce=1`, { method: 'POST', body: '<xml><!DOCTYPE x></xml>' }), 400, 'xml_doctype');
      expect(await count()).toBe(n);
      const logs = h.logs.join('');
      expect(logs).toContain('wecom callback rejected');
      expect(logs).not.toContain(secretPhone);
      expect(logs).not.toContain(garbage);
    });

    it('body over 1 MiB → 413; unknown tenant → 404', async () => {
      const n = await count();
      const big = `<xml><Encrypt>${'A'.repeat(1024 * 1024 + 10)}</Encrypt></xml>`;
      await expectRejected(await fetch(`${h.server.url}/wecom/callback?msg_signature=a&timestamp=1&nonce=1`, { method: 'POST', body: big }), 413, 'payload_too_large');
      await expectRejected(await postWecom(h.server, wecomCallback(textMessageXml({ from: 'rep-li', text: 'x', msgId: '8005' })), '/wecom/callback/no-such-tenant'), 404, 'not_found');
      expect(await count()).toBe(n);
    });
  });
});

describe('WeCom processing survives a crash between acknowledge and process', () => {
  it('a claimed event whose worker died is processed after restart, once (PostgreSQL, connection killed)', async () => {
    const t = await openTestDatabase('postgres');
    const second = await (await import('../../../src/db/database.js')).openDatabase({ databaseUrl: t.url!, poolSize: 3 });
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    let a: Harness | undefined;
    let b: Harness | undefined;
    try {
      await seedTenant(t.database);
      // Instance A: a worker that claims the event and then hangs inside its transaction.
      a = await startHarness(t.database, { handlers: [async () => { await blocked; return []; }], worker: { leaseMs: 800, idlePollMs: 20 } });
      expect((await postWecom(a.server, wecomCallback(textMessageXml({ from: 'rep-li', text: '崩溃测试', msgId: '9001' })))).status).toBe(200);
      await waitFor(async () => (await inboxRows(t.database)).find((r) => r.event_id === '9001' && r.status === 'processing'), 5000, 'claim');
      // A dies: it claims nothing more, and its connections are killed, so its open transaction
      // rolls back exactly as in a crash.
      void a.runtime.inbox.stop();
      void a.runtime.outbox.stop();
      await second.query(sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
      // Instance B (the restart) takes over once A's lease expires.
      // B's own lease is long: its first message also loads the segmenter's dictionary.
      b = await startHarness(second, { wecom: { server: a.wecom, url: a.wecomUrl }, worker: { leaseMs: 10_000, idlePollMs: 20 } });
      const done = await waitFor(async () => (await inboxRows(second)).find((r) => r.event_id === '9001' && r.status === 'done'), 10_000, 'processed after restart');
      expect(done.attempts).toBe(2);
      await waitFor(async () => (await outboxRows(second)).find((r) => r.status === 'done'), 10_000, 'reply sent');
      const replies = (await outboxRows(second)).filter((r) => r.payload.to.userIds[0] === 'rep-li');
      expect(replies).toHaveLength(1);
      expect(a.wecom.calls('/cgi-bin/message/send')).toHaveLength(1);
      // A's pool kept no client whose connection was killed mid-transaction (drizzle leaked it at BEGIN).
      release();
      await a.close();
      await waitFor(async () => {
        const pool = (t.database.db as unknown as { $client: { totalCount: number; idleCount: number } }).$client;
        return pool.totalCount === pool.idleCount;
      }, 5_000, 'every pool client released');
    } finally {
      release();
      await b?.close();
      await a?.close().catch(() => undefined);
      await second.close();
      await t.drop();
    }
  }, 30_000);

  it('an event acknowledged but never processed is processed by the next start (PGlite restart)', async () => {
    const t = await openTestDatabase('pglite');
    try {
      await seedTenant(t.database);
      const a = await startHarness(t.database, { startWorkers: false });
      expect((await postWecom(a.server, wecomCallback(textMessageXml({ from: 'rep-li', text: '未处理', msgId: '9101' })))).status).toBe(200);
      // Simulate a worker that claimed the row and died before finishing.
      await t.database.query(sql`update inbox_events set status = 'processing', attempts = 1, locked_until = now() - interval '1 second' where event_id = '9101'`);
      const fake = a.wecom;
      await a.close();
      const b = await startHarness(t.database);
      await waitFor(async () => b.wecom.calls('/cgi-bin/message/send').length === 1, 10_000, 'reply after restart');
      const row = (await inboxRows(t.database)).find((r) => r.event_id === '9101')!;
      expect(row).toMatchObject({ status: 'done', attempts: 2 });
      expect(fake.calls('/cgi-bin/message/send')).toHaveLength(0);
      await b.close();
    } finally {
      await t.drop();
    }
  }, 30_000);
});
