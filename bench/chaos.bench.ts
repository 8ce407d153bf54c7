// npm run bench:chaos — exactly one reply per message through crashes, deploys, a database restart and a
// dropped DingTalk stream (issue 19, part 2). Loopback only and bounded in time:
// - its OWN PostgreSQL cluster (initdb into a temp dir, a free port; the shared server is never touched),
//   restarted once during the load;
// - two Kelu instances (`node dist/main.js`, as production runs them) behind a tiny round-robin proxy
//   that, like a load balancer, tries the other instance when a connection is refused;
// - WeCom callbacks at a steady rate through the proxy with WeCom's retry behaviour (an attempt not
//   answered 200 within 5 s is sent again, up to 3 times), and DingTalk robot messages pushed over the
//   fake Stream gateway (unacknowledged pushes are delivered again on the next connection);
// - reminder timers due during the load;
// - faults: 5 WeCom and 5 DingTalk sends whose answer is lost after the platform carried them out (in doubt),
//   kill -9 of instance A (restarted at once), SIGTERM of instance B (a deploy: restarted when it
//   has exited), a PostgreSQL restart, the DingTalk stream connections cut.
// At the end: every distinct message stored once and processed once, exactly one reply each as counted
// at the in-process fake WeCom / DingTalk servers, every timer fired once and its reminder shown once.
// Knobs: CHAOS_SECONDS (load duration, default 60), CHAOS_WECOM_RATE (/s, default 30),
// CHAOS_DINGTALK_RATE (/s, default 10), CHAOS_TIMERS (default 60), CHAOS_WORKERS (per instance, default 4),
// CHAOS_DRAIN_LIMIT_S (default 180).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, createWriteStream, mkdtempSync, readdirSync, rmSync, type WriteStream } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir, loadavg } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { WecomCrypto } from '../src/adapters/wecom/wecom.crypto.js';
import { FakeWecomServer } from '../test/fakes/fake-wecom-server.js';
import { FakeDingtalkServer, type StreamAck } from '../test/fakes/fake-dingtalk-server.js';
import { fmt, summarize } from './stats.js';
import { deliveryKey } from '../src/queue/outbox.js';

const SECONDS = Number(process.env.CHAOS_SECONDS ?? 60);
const WECOM_RATE = Number(process.env.CHAOS_WECOM_RATE ?? 30);
const DT_RATE = Number(process.env.CHAOS_DINGTALK_RATE ?? 10);
const TIMERS = Number(process.env.CHAOS_TIMERS ?? 60);
const WORKERS = process.env.CHAOS_WORKERS ?? '4';
const DRAIN_LIMIT_S = Number(process.env.CHAOS_DRAIN_LIMIT_S ?? 180);
const REPS = 10;
const WECOM_TIMEOUT_MS = 5000;
const WECOM_ATTEMPTS = 4; // the first and up to 3 more
const W = { corpId: 'wwchaos000000001', agentId: '1000002', secret: 'chaos-secret', token: 'chaostoken', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const ADMIN = 'chaos-admin-token-0123456789';
const SURNAMES = '王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高';
const PRODUCTS = ['血压计', '血糖仪', '助行器', '轮椅', '制氧机', '监护仪'];

const t0 = performance.now();
const now = () => performance.now() - t0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (s: string) => console.log(`[${fmt(now() / 1000, 1).padStart(6)} s] ${s}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string, pollMs = 100): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}

// Whatever this bench started is stopped on the way out, also when it fails half-way.
const cleanups: (() => void)[] = [];
process.on('exit', () => {
  for (const c of cleanups.reverse()) {
    try {
      c();
    } catch {
      // best effort
    }
  }
});

// ---- the bench's own PostgreSQL cluster --------------------------------------------------------

class OwnPostgres {
  private constructor(readonly dir: string, readonly port: number, private readonly bin: string, private readonly asPostgres: boolean) {}

  static async create(): Promise<OwnPostgres> {
    const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    if (!versions.length) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
    const bin = `/usr/lib/postgresql/${versions[0]}/bin`;
    const dir = mkdtempSync(path.join(tmpdir(), 'kelu-chaos-pg-'));
    // initdb refuses to run as root: the cluster belongs to the postgres user then.
    const asPostgres = process.getuid?.() === 0;
    if (asPostgres) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
      chownSync(dir, uid, gid);
    }
    const p = new OwnPostgres(dir, await freePort(), bin, asPostgres);
    cleanups.push(() => p.destroy());
    p.run('initdb', ['-D', `${dir}/data`, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C']);
    p.start();
    return p;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private run(tool: string, args: string[]): void {
    const cmd = `${this.bin}/${tool}`;
    if (this.asPostgres) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    else execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  }

  private ctl(action: string): void {
    this.run('pg_ctl', ['-D', `${this.dir}/data`, '-l', `${this.dir}/pg.log`, '-w', '-t', '60', '-m', 'fast', '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=200`, action]);
  }

  start(): void {
    this.ctl('start');
  }

  restart(): void {
    this.ctl('restart');
  }

  private destroyed = false;

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    try {
      this.ctl('stop');
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

// ---- Kelu instances ----------------------------------------------------------------------------

class Instance {
  child: ChildProcess | null = null;
  readyAt = 0;
  restarts = 0;
  private out: WriteStream;

  constructor(readonly name: string, readonly port: number, private readonly env: Record<string, string>, logDir: string) {
    this.out = createWriteStream(path.join(logDir, `${name}.log`));
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['dist/main.js'], {
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(this.port), LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(this.out, { end: false });
    child.stderr!.pipe(this.out, { end: false });
    this.child = child;
    cleanups.push(() => child.kill('SIGKILL'));
    await until(async () => {
      if (child.exitCode !== null) throw new Error(`${this.name} exited ${child.exitCode} while starting`);
      return (await status(`http://127.0.0.1:${this.port}/readyz`)) === 200;
    }, 60_000, `${this.name} ready`, 25);
    this.readyAt = now();
  }

  exited(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
    return new Promise((r) => c.once('exit', () => r()));
  }

  async signal(sig: NodeJS.Signals): Promise<number> {
    const done = this.exited();
    const at = now();
    this.child?.kill(sig);
    await done;
    return now() - at;
  }
}

function status(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 1000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });
}

// ---- the round-robin proxy ---------------------------------------------------------------------

function startProxy(ports: number[]): Promise<{ url: string; server: http.Server; agent: http.Agent }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let rr = 0;
  const forward = (port: number, req: http.IncomingMessage, body: Buffer) => new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const up = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${port}`, connection: 'keep-alive' }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    up.on('error', reject);
    up.end(body);
  });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const first = rr++ % ports.length;
      for (let k = 0; k < ports.length; k++) {
        const i = (first + k) % ports.length;
        try {
          const r = await forward(ports[i]!, req, body);
          if (res.destroyed) return;
          res.writeHead(r.status, { 'content-type': String(r.headers['content-type'] ?? 'text/plain'), 'x-backend': String(i) });
          res.end(r.body);
          return;
        } catch (err) {
          // A refused connection never reached the instance: the next one may take it (a load
          // balancer's connect-failure retry). Anything else may have reached it: answer 502.
          if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') continue;
          break;
        }
      }
      if (!res.destroyed) res.writeHead(502, { 'x-backend': '-' }).end('bad gateway');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, server, agent })));
}

// ---- traffic -----------------------------------------------------------------------------------

interface Attempt { start: number; end: number; status: number; backend: string; error?: string }
interface WecomMessage { i: number; msgId: string; rep: string; path: string; body: string; attempts: Attempt[]; acked: boolean }

function wecomMessage(crypto: WecomCrypto, i: number): WecomMessage {
  const rep = `chaos-rep-${i % REPS}`;
  const phone = `139${String(10_000_000 + i).slice(-8)}`;
  const text = `${SURNAMES[i % SURNAMES.length]}先生想了解一下${PRODUCTS[i % PRODUCTS.length]}，电话 ${phone}`;
  const msgId = String(7_000_000 + i);
  const ts = String(Math.floor(Date.now() / 1000));
  const xml = `<xml><ToUserName><![CDATA[${W.corpId}]]></ToUserName><FromUserName><![CDATA[${rep}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${msgId}</MsgId><AgentID>${W.agentId}</AgentID></xml>`;
  const encrypt = crypto.encrypt(xml, W.corpId);
  const nonce = `c${i}`;
  return {
    i, msgId, rep,
    path: `/wecom/callback?msg_signature=${crypto.signature(ts, nonce, encrypt)}&timestamp=${ts}&nonce=${nonce}`,
    body: `<xml><ToUserName><![CDATA[${W.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[${W.agentId}]]></AgentID></xml>`,
    attempts: [], acked: false,
  };
}

/** One WeCom delivery attempt: 200 within 5 s is an acknowledgement; anything else is retried. */
function attempt(proxyUrl: string, agent: http.Agent, m: WecomMessage): Promise<Attempt> {
  const u = new URL(proxyUrl);
  const start = now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: Omit<Attempt, 'start' | 'end'>) => {
      if (settled) return;
      settled = true;
      resolve({ start, end: now(), ...a });
    };
    const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: m.path, headers: { 'content-type': 'text/xml' }, agent }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode ?? 0, backend: String(res.headers['x-backend'] ?? '?') }));
    });
    req.setTimeout(WECOM_TIMEOUT_MS, () => {
      req.destroy();
      done({ status: 0, backend: '?', error: 'timeout' });
    });
    req.on('error', (e: NodeJS.ErrnoException) => done({ status: 0, backend: '?', error: e.code ?? e.message }));
    req.end(m.body);
  });
}

async function deliverWecom(proxyUrl: string, agent: http.Agent, m: WecomMessage): Promise<void> {
  for (let k = 0; k < WECOM_ATTEMPTS; k++) {
    const a = await attempt(proxyUrl, agent, m);
    m.attempts.push(a);
    if (a.status === 200) {
      m.acked = true;
      return;
    }
    // WeCom sends again when the 5 s are up, also after an early failure.
    const wait = a.start + WECOM_TIMEOUT_MS - now();
    if (wait > 0) await sleep(wait);
  }
}

// ---- the run -----------------------------------------------------------------------------------

interface Fault { name: string; start: number; end: number; detail: string }

async function main() {
  execFileSync(process.execPath, ['scripts/build-changed.js'], { stdio: 'inherit' });
  const work = mkdtempSync(path.join(tmpdir(), 'kelu-chaos-'));
  log(`own PostgreSQL: initdb into ${work}…`);
  const pgc = await OwnPostgres.create();
  log(`PostgreSQL on 127.0.0.1:${pgc.port}`);
  const wecom = new FakeWecomServer({ corpId: W.corpId, secrets: [W.secret] });
  const { url: wecomUrl } = await wecom.start();
  const dingtalk = new FakeDingtalkServer({ redeliverDelayMs: 200 });
  await dingtalk.start();
  // DingTalk acknowledgements as the gateway sees them.
  const pushedAt = new Map<string, number>();
  const ackedAt = new Map<string, number>();
  const acks = dingtalk.acks;
  acks.push = (...items: StreamAck[]) => {
    for (const a of items) if (a.code === 200 && !ackedAt.has(a.messageId)) ackedAt.set(a.messageId, now());
    return Array.prototype.push.apply(acks, items);
  };

  const env = {
    DATABASE_URL: pgc.url, KELU_MASTER_KEY: 'chaos-master-key-0123456789', KELU_ADMIN_TOKEN: ADMIN, KELU_WORKERS: WORKERS,
    WECOM_CORP_ID: W.corpId, WECOM_AGENT_ID: W.agentId, WECOM_SECRET: W.secret, WECOM_TOKEN: W.token, WECOM_ENCODING_AES_KEY: W.encodingAesKey, WECOM_API_BASE: wecomUrl,
    DINGTALK_APP_KEY: 'fake-app-key', DINGTALK_APP_SECRET: 'fake-app-secret', DINGTALK_STREAM: 'on',
    DINGTALK_GATEWAY_URL: `${dingtalk.url}/v1.0/gateway/connections/open`, DINGTALK_API_BASE: dingtalk.url, DINGTALK_OAPI_BASE: dingtalk.url,
    KELU_DATA_DIR: work,
    // For comparisons (e.g. KELU_WARMUP_MS=0: no warm-up hold).
    ...Object.fromEntries(['KELU_WARMUP_MS', 'KELU_DRAIN_MS'].filter((k) => process.env[k]).map((k) => [k, process.env[k]!])),
  };
  const A = new Instance('A', await freePort(), env, work);
  const B = new Instance('B', await freePort(), env, work);
  await A.start();
  await B.start();
  log(`instances A :${A.port}, B :${B.port} ready`);
  const proxy = await startProxy([A.port, B.port]);
  const db = new pg.Pool({ connectionString: pgc.url, max: 2 });
  db.on('error', () => undefined); // the restart cuts idle connections

  // Reps on both platforms, created through the admin API as an operator would.
  const repIds: string[] = [];
  for (let r = 0; r < REPS; r++) {
    const res = await fetch(`${proxy.url}/api/v1/users`, {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `混沌销售${r}`, role: 'rep', accounts: [{ platform: 'wecom', kind: 'userid', value: `chaos-rep-${r}` }, { platform: 'dingtalk', kind: 'userid', value: `dt-chaos-rep-${r}` }] }),
    });
    if (res.status !== 201) throw new Error(`could not create rep: ${res.status} ${await res.text()}`);
    repIds.push(((await res.json()) as { id: string }).id);
  }
  await until(() => dingtalk.openConnections === 2, 30_000, 'two DingTalk stream connections');

  // Reminder timers due during the load, each for its own task.
  const loadMs = SECONDS * 1000;
  const loadStart = now() + 1000;
  const wallStart = Date.now() + 1000;
  for (let k = 0; k < TIMERS; k++) {
    const fireAt = new Date(wallStart + loadMs * (0.05 + (0.85 * k) / Math.max(1, TIMERS)));
    const title = `混沌提醒-${String(k).padStart(5, '0')}`;
    const task = await db.query(`insert into tasks (tenant_id, kind, title, assignee_id, due_at) values ('default', 'followup', $1, $2, $3) returning id`, [title, repIds[k % REPS], new Date(fireAt.getTime() + 3_600_000)]);
    await db.query(`insert into timers (tenant_id, kind, ref_id, fire_at, payload) values ('default', 'task.remind', $1, $2, $3)`, [task.rows[0].id, fireAt, { taskId: task.rows[0].id }]);
  }

  // Faults at fixed points of the load.
  const faults: Fault[] = [];
  // Each fault at its point of the load, but never within 6 s of the previous one's end, so that
  // every window (a restarted instance's first seconds included) is measured on its own.
  let lastEnd = 0;
  const at = (frac: number) => Math.max(loadStart + loadMs * frac, lastEnd + 6000);
  const chaos = (async () => {
    // Sends that reach the platform and whose answer is lost (as to a process killed while it waits): each
    // is in doubt, and its retry must be recognised as the same message. A kill -9 hits such a moment by chance.
    await sleep(at(0.1) - now());
    let f: Fault = { name: 'lose the answers of 5 WeCom and 5 DingTalk sends', start: now(), end: 0, detail: '' };
    wecom.loseAnswerNext(5);
    dingtalk.loseAnswerNext('/v1.0/im/v1.0/robot/interactiveCards/send', 5);
    f.end = now();
    f.detail = 'each carried out by the platform, its answer cut off';
    faults.push(f);
    lastEnd = f.end;
    log(`${f.name}`);

    await sleep(at(0.2) - now());
    f = { name: 'kill -9 A, restart', start: now(), end: 0, detail: '' };
    await A.signal('SIGKILL');
    await A.start();
    f.end = now();
    f.detail = `A back in ${fmt((f.end - f.start) / 1000, 2)} s`;
    faults.push(f);
    lastEnd = f.end;
    log(`${f.name}: ${f.detail}`);

    await sleep(at(0.42) - now());
    f = { name: 'SIGTERM B (deploy), restart', start: now(), end: 0, detail: '' };
    const stopMs = await B.signal('SIGTERM');
    const code = B.child?.exitCode;
    await B.start();
    f.end = now();
    f.detail = `B drained and exited ${code} in ${fmt(stopMs / 1000, 2)} s, back in ${fmt((f.end - f.start) / 1000, 2)} s`;
    faults.push(f);
    lastEnd = f.end;
    log(`${f.name}: ${f.detail}`);

    await sleep(at(0.62) - now());
    f = { name: 'restart PostgreSQL', start: now(), end: 0, detail: '' };
    pgc.restart();
    f.end = now();
    f.detail = `pg_ctl restart took ${fmt((f.end - f.start) / 1000, 2)} s`;
    faults.push(f);
    lastEnd = f.end;
    log(`${f.name}: ${f.detail}`);

    await sleep(at(0.8) - now());
    f = { name: 'drop DingTalk stream', start: now(), end: 0, detail: '' };
    const opened = () => dingtalk.connectionCount;
    const before = opened();
    dingtalk.dropConnection();
    await until(() => opened() >= before + 2 && dingtalk.openConnections === 2, 60_000, 'stream reconnects', 20);
    f.end = now();
    f.detail = `both reconnected in ${fmt((f.end - f.start) / 1000, 2)} s`;
    faults.push(f);
    lastEnd = f.end;
    log(`${f.name}: ${f.detail}`);
  })();

  // Steady traffic.
  const crypto = new WecomCrypto(W.token, W.encodingAesKey);
  const client = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const wecomMsgs: WecomMessage[] = [];
  const deliveries: Promise<void>[] = [];
  const dtIds: string[] = [];
  const dtSessions = new Map<string, string>();
  await sleep(loadStart - now());
  log(`load: ${SECONDS} s, WeCom ${WECOM_RATE}/s, DingTalk ${DT_RATE}/s, ${TIMERS} timers, ${WORKERS} workers per instance`);
  while (now() - loadStart < loadMs) {
    const t = (now() - loadStart) / 1000;
    while (wecomMsgs.length < Math.floor(t * WECOM_RATE)) {
      const m = wecomMessage(crypto, wecomMsgs.length);
      wecomMsgs.push(m);
      deliveries.push(deliverWecom(proxy.url, client, m));
    }
    while (dtIds.length < Math.floor(t * DT_RATE)) {
      const n = dtIds.length;
      const session = `chaos${n}`;
      const id = dingtalk.pushRobotMessage({
        msgId: `chaos-dt-${n}`, msgtype: 'text',
        text: { content: `@Kelu ${SURNAMES[n % SURNAMES.length]}主任想看一下移动DR的演示，电话 137${String(10_000_000 + n).slice(-8)}` },
        createAt: Date.now(), conversationType: '1', conversationId: 'cidChaos==', senderId: `$:LWCP_v1:$chaos${n % REPS}==`,
        senderNick: `混沌销售${n % REPS}`, senderStaffId: `dt-chaos-rep-${n % REPS}`, chatbotUserId: '$:LWCP_v1:$bot==',
        sessionWebhook: `${dingtalk.url}/robot/sendBySession?session=${session}`, sessionWebhookExpiredTime: Date.now() + 90 * 60_000,
      });
      pushedAt.set(id, now());
      dtIds.push(id);
      dtSessions.set(`chaos-dt-${n}`, session);
    }
    await sleep(5);
  }
  log(`load done: ${wecomMsgs.length} WeCom messages, ${dtIds.length} DingTalk messages; waiting for retries and the queues`);
  await chaos;
  await Promise.all(deliveries);
  const drainStart = now();
  const counts = async () => (await db.query(`
    select (select count(*) from inbox_events where status not in ('done', 'failed', 'dead'))::int as inbox_open,
           (select count(*) from outbox_messages where status not in ('done', 'failed', 'dead'))::int as outbox_open,
           (select count(*) from timers where status = 'pending' and kind = 'task.remind')::int as timers_open`)).rows[0];
  await until(async () => {
    try {
      const c = await counts();
      return c.inbox_open === 0 && c.outbox_open === 0 && c.timers_open === 0 && dingtalk.unackedIds.length === 0;
    } catch {
      return false;
    }
  }, DRAIN_LIMIT_S * 1000, 'queues to empty', 250);
  log(`queues empty ${fmt((now() - drainStart) / 1000, 1)} s after the last WeCom retry`);

  // ---- verification ----------------------------------------------------------------------------
  const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) => (await db.query(text, params)).rows as T[];
  const inbox = await q<{ platform: string; event_id: string; status: string; attempts: number }>(`select platform, event_id, status, attempts from inbox_events where tenant_id = 'default' and platform in ('wecom', 'dingtalk') and (event_id like '7%' or event_id like 'chaos-dt-%')`);
  const stored = new Map<string, { status: string; attempts: number; n: number }>();
  for (const r of inbox) {
    const k = `${r.platform}:${r.event_id}`;
    const s = stored.get(k);
    stored.set(k, { status: r.status, attempts: r.attempts, n: (s?.n ?? 0) + 1 });
  }
  const ackedWecom = wecomMsgs.filter((m) => m.acked);
  const givenUp = wecomMsgs.filter((m) => !m.acked);
  const lostWecom = ackedWecom.filter((m) => !stored.has(`wecom:${m.msgId}`));
  const lostDt = [...dtSessions.keys()].filter((id) => !stored.has(`dingtalk:${id}`));
  const storedTwice = [...stored.values()].filter((s) => s.n > 1).length;
  const notProcessed = [...stored.values()].filter((s) => s.status !== 'done').length;
  const leadsBySource = await q<{ source_event_id: string; n: number }>(`select source_event_id, count(*)::int as n from leads where tenant_id = 'default' and source_event_id is not null group by 1`);
  const leadDup = leadsBySource.filter((r) => r.n > 1).length;

  // Replies as the platforms show them. WeCom: each message's card to its rep, by task_id (our card
  // id, kept in the outbox row the message produced); DingTalk: what DingTalk shows under the idempotency id
  // of the message's outbox rows (a send repeated with the same id shows nothing new there).
  const outRows = await q<{ id: string; payload: unknown; dedupe_key: string; status: string; card_id: string | null; to_user: string | null }>(`
    select id, payload, dedupe_key, status, payload->'reply'->'card'->>'cardId' as card_id, payload->'to'->'userIds'->>0 as to_user
    from outbox_messages where tenant_id = 'default'`);
  const outboxNotSent = outRows.filter((r) => r.status !== 'done').length;
  const shownByTask = new Map<string, number>();
  const shownToByTask = new Map<string, string>();
  for (const r of wecom.shown) {
    const b = r.body as { touser?: string; template_card?: { task_id?: string } };
    const id = b.template_card?.task_id;
    if (!id) continue;
    shownByTask.set(id, (shownByTask.get(id) ?? 0) + 1);
    shownToByTask.set(id, String(b.touser));
  }
  const cardsOfEvent = new Map<string, string[]>();
  for (const r of outRows) {
    const m = /^in:wecom:(\d+):\d+$/.exec(r.dedupe_key);
    if (!m || !r.card_id || !r.to_user?.startsWith('chaos-rep-')) continue;
    cardsOfEvent.set(m[1]!, [...(cardsOfEvent.get(m[1]!) ?? []), r.card_id]);
  }
  const wecomReplies = ackedWecom.map((m) => (cardsOfEvent.get(m.msgId) ?? []).reduce((n, id) => n + (shownToByTask.get(id) === m.rep ? shownByTask.get(id) ?? 0 : 0), 0));
  const dtKeysOf = new Map<string, string[]>();
  for (const r of outRows) {
    const m = /^in:dingtalk:(chaos-dt-\d+):\d+$/.exec(r.dedupe_key);
    if (m) dtKeysOf.set(m[1]!, [...(dtKeysOf.get(m[1]!) ?? []), deliveryKey(r.id, r.payload)]);
  }
  const shownByKey = new Map<string, number>();
  for (const m of dingtalk.shown) if (m.key) shownByKey.set(m.key, (shownByKey.get(m.key) ?? 0) + 1);
  const dtReplies = [...dtSessions.keys()].map((id) => (dtKeysOf.get(id) ?? []).reduce((n, k) => n + (shownByKey.get(k) ?? 0), 0));
  // Answers that went another way than keyed (the session webhook), and sends DingTalk took as repeats.
  const dtUnkeyed = dingtalk.shown.filter((m) => m.via === 'session').length;
  const dtCardSends = dingtalk.requestsTo('/v1.0/im/v1.0/robot/interactiveCards/send').length;
  const sendCalls = wecom.calls('/cgi-bin/message/send').length;
  const suppressed = sendCalls - wecom.shown.length;

  const timerRows = await q<{ title: string; status: string }>(`select t.title, tm.status from timers tm join tasks t on t.id::text = tm.ref_id where tm.kind = 'task.remind' and t.title like '混沌提醒-%'`);
  // A reminder goes to the rep on one of their platforms: WeCom (after its duplicate check) or DingTalk.
  const remindersShown = new Map<string, number>();
  for (const text of [...wecom.shown.map((r) => JSON.stringify(r.body)), ...dingtalk.shown.map((m) => m.text)]) {
    const m = /提醒：(混沌提醒-\d+)/.exec(text);
    if (m) remindersShown.set(m[1]!, (remindersShown.get(m[1]!) ?? 0) + 1);
  }
  const timersNotFired = timerRows.filter((r) => r.status !== 'fired').length;
  const remindersOff = timerRows.filter((r) => (remindersShown.get(r.title) ?? 0) !== 1).length;

  // Availability and latency. Fault windows: from the fault to 5 s after it was over.
  const windows = faults.map((f) => [f.start, f.end + 5000] as const);
  const inWindow = (t: number) => windows.some(([a, b]) => t >= a && t <= b);
  const allAttempts = wecomMsgs.flatMap((m) => m.attempts);
  const ok = allAttempts.filter((a) => a.status === 200).sort((a, b) => a.end - b.end);
  let longestGap = 0;
  let gapAt = 0;
  for (let k = 1; k < ok.length; k++) {
    const g = ok[k]!.end - ok[k - 1]!.end;
    if (g > longestGap) [longestGap, gapAt] = [g, ok[k - 1]!.end];
  }
  // The longest a message waited for its acknowledgement across retries (what WeCom experiences).
  const waited = ackedWecom.map((m) => m.attempts.at(-1)!.end - m.attempts[0]!.start);
  const failedAttempts = allAttempts.filter((a) => a.status !== 200);
  const failKinds = new Map<string, number>();
  for (const a of failedAttempts) {
    const f = faults.find((x) => a.start >= x.start - 1000 && a.start <= x.end + 5000);
    const k = `${a.error ?? String(a.status)} (${f ? f.name : 'outside faults'})`;
    failKinds.set(k, (failKinds.get(k) ?? 0) + 1);
  }
  const quiet = summarize(ok.filter((a) => !inWindow(a.start)).map((a) => a.end - a.start));
  const all = summarize(ok.map((a) => a.end - a.start));
  // Each restarted instance's first 5 s of acknowledgements (the issue's slow cold start).
  const fresh = (name: string, backend: string) => {
    const f = faults.find((x) => x.name.includes(` ${name}`));
    if (!f) return null;
    return summarize(ok.filter((a) => a.backend === backend && a.start >= f.end && a.start < f.end + 5000).map((a) => a.end - a.start));
  };
  const freshA = fresh('A', '0');
  const freshB = fresh('B', '1');
  const dtLat = summarize(dtIds.filter((id) => ackedAt.has(id) && !inWindow(pushedAt.get(id)!)).map((id) => ackedAt.get(id)! - pushedAt.get(id)!));

  const [l1, l5, l15] = loadavg();
  console.log('');
  console.log(`bench:chaos — ${SECONDS} s of load, 2 instances (node dist/main.js, ${WORKERS} workers each) behind a round-robin proxy, own PostgreSQL ${pgc.port}; load average ${fmt(l1!, 2)} ${fmt(l5!, 2)} ${fmt(l15!, 2)} (machine shared with other engineers)`);
  for (const f of faults) console.log(`  fault at ${fmt((f.start - loadStart) / 1000, 1)} s: ${f.name} — ${f.detail}`);
  console.log(`WeCom     ${wecomMsgs.length} messages, ${allAttempts.length} attempts (${failedAttempts.length} failed: ${[...failKinds].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}); acknowledged ${ackedWecom.length}, given up by the platform after 4 attempts ${givenUp.length}`);
  console.log(`DingTalk  ${dtIds.length} messages pushed, ${ackedAt.size} acknowledged at the gateway, ${dingtalk.unackedIds.length} unacknowledged, ${[...dingtalk.deliveries.values()].filter((n) => n > 1).length} delivered more than once`);
  console.log(`stored    ${stored.size} distinct events; stored twice ${storedTwice}; acknowledged but not stored: WeCom ${lostWecom.length}, DingTalk ${lostDt.length}`);
  console.log(`processed ${stored.size - notProcessed}/${stored.size} done; leads per message > 1: ${leadDup}; inbox rows retried ${[...stored.values()].filter((s) => s.attempts > 1).length}`);
  const hist = (xs: number[]) => `0: ${xs.filter((n) => n === 0).length}, 1: ${xs.filter((n) => n === 1).length}, 2+: ${xs.filter((n) => n > 1).length}`;
  console.log(`replies   WeCom cards shown per acknowledged message (${hist(wecomReplies)}); DingTalk answers per message (${hist(dtReplies)}; card sends ${dtCardSends}, of them repeats DingTalk absorbed by their id ${dingtalk.repeatedIds}; unkeyed answers ${dtUnkeyed}); outbox rows not sent ${outboxNotSent}; WeCom sends ${sendCalls}, of them suppressed by the duplicate check ${suppressed}`);
  console.log(`timers    ${timerRows.length} reminders, not fired ${timersNotFired}, shown other than once ${remindersOff}`);
  console.log(`available longest gap between WeCom acknowledgements ${fmt(longestGap / 1000, 2)} s (at ${fmt((gapAt - loadStart) / 1000, 1)} s); longest a message waited for its acknowledgement across retries ${fmt(summarize(waited).max / 1000, 2)} s`);
  console.log(`latency   WeCom ack outside fault windows: p50 ${fmt(quiet.p50)} ms, p99 ${fmt(quiet.p99)} ms, max ${fmt(quiet.max)} ms (n ${quiet.n}); all: p99 ${fmt(all.p99)} ms, max ${fmt(all.max)} ms`);
  if (freshA) console.log(`          restarted A, its first 5 s: p50 ${fmt(freshA.p50)} ms, p99 ${fmt(freshA.p99)} ms, max ${fmt(freshA.max)} ms (n ${freshA.n})`);
  if (freshB) console.log(`          restarted B, its first 5 s: p50 ${fmt(freshB.p50)} ms, p99 ${fmt(freshB.p99)} ms, max ${fmt(freshB.max)} ms (n ${freshB.n})`);
  console.log(`          DingTalk push->ack outside fault windows: p50 ${fmt(dtLat.p50)} ms, p99 ${fmt(dtLat.p99)} ms (n ${dtLat.n})`);
  const pass = lostWecom.length === 0 && lostDt.length === 0 && storedTwice === 0 && notProcessed === 0 && leadDup === 0
    && wecomReplies.every((n) => n === 1) && dtReplies.every((n) => n === 1) && dtUnkeyed === 0 && outboxNotSent === 0
    && timersNotFired === 0 && remindersOff === 0 && givenUp.length === 0 && stored.size === ackedWecom.length + dtIds.length;
  if (!pass) {
    // What went wrong, from the outbox's own attempt log (first few of each kind).
    const why = async (label: string, keyLike: string) => {
      const rows = await q<{ dedupe_key: string; status: string; attempts: number; attempt_log: unknown }>(`select dedupe_key, status, attempts, attempt_log from outbox_messages where dedupe_key like $1`, [keyLike]);
      console.log(`  ${label}: ${rows.map((r) => `${r.dedupe_key} ${r.status} attempts ${r.attempts} ${JSON.stringify(r.attempt_log)}`).join(' | ') || 'no outbox row'}`);
    };
    const dtMsgIds = [...dtSessions.keys()];
    for (const k of dtReplies.flatMap((n, i) => (n !== 1 ? [i] : [])).slice(0, 5)) await why(`DingTalk ${dtMsgIds[k]} answered ${dtReplies[k]} times`, `in:dingtalk:${dtMsgIds[k]}:%`);
    for (const m of ackedWecom.filter((_, k) => wecomReplies[k] !== 1).slice(0, 5)) await why(`WeCom ${m.msgId} shown ${wecomReplies[ackedWecom.indexOf(m)]} times`, `in:wecom:${m.msgId}:%`);
    const timerIds = await q<{ id: string; title: string }>(`select tm.id, t.title from timers tm join tasks t on t.id::text = tm.ref_id where t.title like '混沌提醒-%'`);
    for (const r of timerIds.filter((x) => (remindersShown.get(x.title) ?? 0) !== 1).slice(0, 5)) await why(`reminder ${r.title} shown ${remindersShown.get(r.title) ?? 0} times`, `timer:${r.id}:%`);
  }
  console.log(pass ? 'checks: OK (zero lost, zero doubled)' : 'checks: FAILED');
  console.log(`logs: ${work}`);

  proxy.server.close();
  proxy.agent.destroy();
  client.destroy();
  await Promise.all([A, B].map((i) => i.signal('SIGTERM')));
  await db.end();
  await wecom.stop();
  await dingtalk.stop();
  pgc.destroy();
  if (pass && !process.env.CHAOS_KEEP_LOGS) rmSync(work, { recursive: true, force: true });
  process.exit(pass ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
