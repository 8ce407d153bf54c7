import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/config.js';
import { SecretBox } from '../../src/lib/secret-box.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../src/app/runtime.js';
import { setChannelCredentials, upsertTenant } from '../../src/crm/tenants.repo.js';
import { createUser } from '../../src/crm/users.repo.js';
import { upsertProducts } from '../../src/crm/products.repo.js';
import { loadSeedCatalog } from '../../src/app/bootstrap.js';
import type { Database } from '../../src/db/database.js';
import type { RunningServer } from '../../src/server.js';
import { startServer } from '../../src/server.js';
import { FakeWecomServer } from '../fakes/fake-wecom-server.js';
import { FakeDingtalkServer } from '../fakes/fake-dingtalk-server.js';
import { WecomCrypto } from '../../src/adapters/wecom/wecom.crypto.js';
import { captureLogger } from './test-app.js';
import type { DingtalkStreams } from '../../src/adapters/dingtalk/dingtalk.channel.js';
import { deliveryKey } from '../../src/queue/outbox.js';
import type { ShownDingtalk } from '../fakes/fake-dingtalk-server.js';

export const WECOM = {
  corpId: 'ww0123456789abcdef',
  agentId: '1000002',
  secret: 'wecom-app-secret-for-tests',
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
};

/** Matches FakeDingtalkServer's default app credentials. */
export const DINGTALK = {
  appKey: 'fake-app-key',
  appSecret: 'fake-app-secret',
  robotCode: 'fake-robot-code',
  eventToken: 'dt-event-token',
  eventAesKey: 'o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus',
};

export const box = new SecretBox('harness-master-key-0123456789');

/** Seeds a tenant with a WeCom channel, the demo catalog and a manager plus two reps. */
export async function seedTenant(database: Database, tenantId = 'default') {
  const { db } = database;
  await upsertTenant(db, { tenantId, name: `租户 ${tenantId}` }, 'test');
  await setChannelCredentials(db, tenantId, 'wecom', box.sealJson(WECOM), 'test');
  await setChannelCredentials(db, tenantId, 'dingtalk', box.sealJson(DINGTALK), 'test');
  await upsertProducts(db, tenantId, loadSeedCatalog());
  const accounts = (wecom: string, dingtalk: string, union: string) => [
    { platform: 'wecom', kind: 'userid', value: wecom },
    { platform: 'dingtalk', kind: 'userid', value: dingtalk },
    { platform: 'dingtalk', kind: 'unionid', value: union },
  ];
  const manager = await createUser(db, tenantId, { name: '陈经理', role: 'manager', accounts: accounts('mgr-chen', 'dt-mgr-chen', 'u-mgr-chen') }, 'test');
  const li = await createUser(db, tenantId, { name: '李销售', role: 'rep', accounts: accounts('rep-li', 'dt-rep-li', 'u-rep-li') }, 'test');
  const zhang = await createUser(db, tenantId, { name: '张销售', role: 'rep', accounts: accounts('rep-zhang', 'dt-rep-zhang', 'u-rep-zhang') }, 'test');
  return { manager, li, zhang };
}

export interface Harness {
  runtime: Runtime;
  server: RunningServer;
  wecom: FakeWecomServer;
  wecomUrl: string;
  dingtalk: FakeDingtalkServer;
  database: Database;
  logs: string[];
  close(): Promise<void>;
}

export async function startHarness(
  database: Database,
  opts: Partial<RuntimeOptions> & { env?: Record<string, string>; startWorkers?: boolean; wecom?: { server: FakeWecomServer; url: string }; dingtalk?: FakeDingtalkServer } = {},
): Promise<Harness> {
  const wecom = opts.wecom?.server ?? new FakeWecomServer({ corpId: WECOM.corpId, secrets: [WECOM.secret] });
  const { url } = opts.wecom ?? (await wecom.start());
  const dingtalk = opts.dingtalk ?? new FakeDingtalkServer({ redeliverDelayMs: 50 });
  if (!opts.dingtalk) await dingtalk.start();
  const dt = { DINGTALK_API_BASE: dingtalk.url, DINGTALK_OAPI_BASE: dingtalk.url, DINGTALK_GATEWAY_URL: `${dingtalk.url}/v1.0/gateway/connections/open` };
  const config = loadConfig({ ...dt, WECOM_API_BASE: url, KELU_WORKERS: '2', KELU_ADMIN_TOKEN: 'harness-admin-token-0123', KELU_WARMUP_MS: '0', ...(opts.env ?? {}) });
  const { logger, lines } = captureLogger('info');
  const runtime = createRuntime({
    config,
    database,
    logger,
    box,
    worker: { leaseMs: 1000, idlePollMs: 20, backoff: () => 50, ...(opts.worker ?? {}) },
    ...(opts.handlers ? { handlers: opts.handlers } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.uptimeMs ? { uptimeMs: opts.uptimeMs } : {}),
    ...(opts.sessions ? { sessions: opts.sessions } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    timerPollMs: opts.timerPollMs ?? 50,
    ...(opts.heatFoldMs ? { heatFoldMs: opts.heatFoldMs } : {}),
  });
  if (opts.startWorkers !== false) runtime.start();
  const server = await startServer({ database, logger, routers: runtime.routers, channels: runtime.status }, 0, '127.0.0.1');
  return {
    runtime,
    server,
    wecom,
    wecomUrl: url,
    dingtalk,
    database,
    logs: lines,
    async close() {
      await server.close({ drainMs: 0, graceMs: 1000 });
      await runtime.stop();
      if (!opts.wecom) await wecom.stop();
      if (!opts.dingtalk) await dingtalk.stop();
    },
  };
}

let seq = 0;
/** Builds a WeCom callback exactly as WeCom does: encrypted XML, msg_signature over token, timestamp, nonce, Encrypt. */
export function wecomCallback(innerXml: string, o: { timestamp?: number; corpId?: string; crypto?: WecomCrypto; badSignature?: boolean } = {}) {
  const c = o.crypto ?? new WecomCrypto(WECOM.token, WECOM.encodingAesKey);
  const encrypt = c.encrypt(innerXml, o.corpId ?? WECOM.corpId);
  const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = `n${++seq}${Math.random().toString(36).slice(2, 8)}`;
  let signature = c.signature(timestamp, nonce, encrypt);
  if (o.badSignature) signature = signature.replace(/^./, (ch) => (ch === 'a' ? 'b' : 'a'));
  const body = `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[${WECOM.agentId}]]></AgentID></xml>`;
  return { query: `msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`, body, encrypt, timestamp, nonce, signature };
}

/** A settable clock for timers (claim timeouts, reminders). */
export function fakeClock(start = new Date()) {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms), set: (d: Date) => (now = d.getTime()) };
}

export function cardEventXml(o: { from: string; taskId: string; eventKey: string; responseCode?: string; createTime?: number; selected?: { questionKey: string; optionIds: string[] } }) {
  const sel = o.selected
    ? `<SelectedItems><SelectedItem><QuestionKey><![CDATA[${o.selected.questionKey}]]></QuestionKey><OptionIds>${o.selected.optionIds.map((x) => `<OptionId><![CDATA[${x}]]></OptionId>`).join('')}</OptionIds></SelectedItem></SelectedItems>`
    : '';
  return `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[${o.from}]]></FromUserName><CreateTime>${o.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[${o.eventKey}]]></EventKey><TaskId><![CDATA[${o.taskId}]]></TaskId><CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[${o.responseCode ?? `click-${o.from}-${Math.random().toString(36).slice(2, 8)}`}]]></ResponseCode><AgentID>${WECOM.agentId}</AgentID>${sel}</xml>`;
}

export function textMessageXml(o: { from: string; text: string; msgId: string; createTime?: number }) {
  return `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[${o.from}]]></FromUserName><CreateTime>${o.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${o.text.replaceAll(']]>', ']]]]><![CDATA[>')}]]></Content><MsgId>${o.msgId}</MsgId><AgentID>${WECOM.agentId}</AgentID></xml>`;
}

export async function postWecom(server: RunningServer, cb: { query: string; body: string }, path = '/wecom/callback') {
  return fetch(`${server.url}${path}?${cb.query}`, { method: 'POST', body: cb.body, headers: { 'content-type': 'text/xml' } });
}

export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Waits until the runtime has nothing left to do: no inbox or outbox row pending or processing
 * (retries due later count as pending) and no worker in the middle of a batch, seen twice in a row
 * (a finished inbox row wakes the outbox). Then "exactly one reply" is a fact, not a guess.
 */
export async function settled(h: Harness, timeoutMs = 10_000): Promise<void> {
  const idle = async () => {
    if (h.runtime.inbox.busy || h.runtime.outbox.busy) return false;
    const [row] = await h.database.query<{ n: number }>(sql`
      select (select count(*) from inbox_events where status in ('pending', 'processing'))
           + (select count(*) from outbox_messages where status in ('pending', 'processing')) as n`);
    return Number(row!.n) === 0;
  };
  await waitFor(async () => (await idle()) && (await idle()), timeoutMs, 'the queues to settle');
}

export async function inboxRows(database: Database) {
  return database.query<{ id: number; status: string; attempts: number; event_id: string; kind: string }>(sql`select id, status, attempts, event_id, kind from inbox_events order by id`);
}

export async function outboxRows(database: Database) {
  return database.query<{ id: number; status: string; attempts: number; kind: string; payload: any; attempt_log: any[]; last_error: string | null }>(sql`select * from outbox_messages order by id`);
}

/** For waitFor: an empty list is no answer yet. */
export function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length ? list : undefined;
}

/**
 * What people in DingTalk saw in answer to one inbound message: the fake's shown messages sent with the
 * idempotency id of one of that message's outbox rows (a row to several users has `<key>-<n>` ids).
 */
export async function dingtalkAnswers(h: Pick<Harness, 'dingtalk'>, database: Database, eventId: string): Promise<ShownDingtalk[]> {
  const rows = await database.query<{ id: number; payload: unknown }>(sql`select id, payload from outbox_messages where platform = 'dingtalk' and dedupe_key like ${`in:dingtalk:${eventId}:%`}`);
  const keys = rows.map((r) => deliveryKey(r.id, r.payload));
  return h.dingtalk.shown.filter((m) => m.key !== undefined && keys.some((k) => m.key === k || m.key!.startsWith(`${k}-`)));
}

/** The default tenant's (or another's) DingTalk Stream connection in a runtime, if one is open. */
export function dingtalkStream(runtime: Runtime, tenantId = 'default') {
  return (runtime.platforms.get('dingtalk')?.connection as DingtalkStreams | undefined)?.link(tenantId);
}
