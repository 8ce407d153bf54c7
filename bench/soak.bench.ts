// npm run bench:soak — steady mixed traffic for SOAK_MINUTES (default 10) against one server on the
// PostgreSQL server (a fresh database; workers, timers and the DingTalk stream on), printing every
// SOAK_REPORT_S seconds (default 60): heap after a forced GC, RSS, open handles (libuv resources),
// acknowledgement and API latency, processing lag and the inbox backlog. Issue 19 part 4: memory and
// handles flat, no growth in latency.
// Traffic per second: SOAK_WECOM_RATE WeCom callbacks (default 20), SOAK_DINGTALK_RATE DingTalk
// Stream pushes (default 5), SOAK_API_RATE admin API reads (default 5). Messages name 500 customers
// over and over, so most resolve to a customer already known (as in real use), some create one.
// The server runs in this process (like bench:fuzz) so that GC and heap readings are the server's; the
// fakes' request logs, the fake DingTalk's card ids and todos, and the harness's captured log lines
// are emptied at every report.
import http from 'node:http';
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { openTestDatabase } from '../test/helpers/test-db.js';
import { dingtalkStream, seedTenant, startHarness, textMessageXml, wecomCallback } from '../test/helpers/harness.js';
import type { StreamAck } from '../test/fakes/fake-dingtalk-server.js';
import { defaultBackoff } from '../src/queue/worker.js';
import { fmt, summarize } from './stats.js';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const REPORT_S = Number(process.env.SOAK_REPORT_S ?? 60);
const WECOM_RATE = Number(process.env.SOAK_WECOM_RATE ?? 20);
const DT_RATE = Number(process.env.SOAK_DINGTALK_RATE ?? 5);
const API_RATE = Number(process.env.SOAK_API_RATE ?? 5);
const CUSTOMERS = 500;
const SURNAMES = '王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高';
const PRODUCTS = ['血压计', '血糖仪', '助行器', '轮椅', '制氧机', '监护仪'];
const gc = (globalThis as { gc?: () => void }).gc;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The DingTalk SDK announces each connect on the console.
console.info = () => undefined;
const t = await openTestDatabase('postgres');
await seedTenant(t.database);
const h = await startHarness(t.database, {
  env: { KELU_WORKERS: '4', DINGTALK_STREAM: 'on' },
  // Production's worker settings, not the tests' short leases and polls.
  worker: { leaseMs: 30_000, idlePollMs: 250, backoff: defaultBackoff },
  timerPollMs: 1000,
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const url = new URL(h.server.url);
const wecomLat: number[] = [];
const apiLat: number[] = [];
const dtPushed = new Map<string, number>();
const dtLat: number[] = [];
let errors = 0;
let sent = 0;

const request = (method: string, path: string, headers: Record<string, string>, body?: string) => new Promise<number>((resolve) => {
  const req = http.request({ host: url.hostname, port: url.port, method, path, headers, agent }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode ?? 0));
  });
  req.on('error', () => resolve(0));
  req.end(body);
});

const acks = h.dingtalk.acks;
acks.push = (...items: StreamAck[]) => {
  for (const a of items) {
    const at = dtPushed.get(a.messageId);
    if (a.code === 200 && at !== undefined) {
      dtLat.push(performance.now() - at);
      dtPushed.delete(a.messageId);
    }
  }
  return 0; // nothing kept: the gateway's own list would grow for ever
};

function text(c: number, k: number) {
  const who = `${SURNAMES[c % SURNAMES.length]}${k % 2 ? '先生' : '女士'}`;
  return `${who}想了解一下${PRODUCTS[(c + k) % PRODUCTS.length]}，电话 1390000${String(c).padStart(4, '0')}`;
}

function memory() {
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed / 1048576, rss: m.rss / 1048576 };
}

function handles() {
  const byType = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) byType.set(r, (byType.get(r) ?? 0) + 1);
  const total = [...byType.values()].reduce((a, b) => a + b, 0);
  return { total, detail: [...byType].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ') };
}

const reports: { heap: number; rss: number; handles: number; p99: number }[] = [];
let msgSeq = 0;
try {
  await (async () => {
    const end = Date.now() + 20_000;
    while (!dingtalkStream(h.runtime)?.running) {
      if (Date.now() > end) throw new Error('DingTalk stream did not connect');
      await sleep(50);
    }
  })();
  const m0 = memory();
  const [la1, la5, la15] = loadavg();
  console.log(`bench:soak — ${MINUTES} min: WeCom ${WECOM_RATE}/s, DingTalk ${DT_RATE}/s, API ${API_RATE}/s, 4 workers, PostgreSQL server; report every ${REPORT_S} s; load average ${fmt(la1!, 2)} ${fmt(la5!, 2)} ${fmt(la15!, 2)} (machine shared with other engineers)${gc ? '' : ' (no --expose-gc)'}`);
  console.log(`start: heap ${fmt(m0.heap)} MB, rss ${fmt(m0.rss, 0)} MB, handles ${handles().total}`);
  const started = performance.now();
  let nextReport = started + REPORT_S * 1000;
  let reportStart = started;
  const counts = { w: 0, d: 0, a: 0 };
  const inflight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  // Until the last report is out (the load runs through it).
  const REPORTS = Math.max(1, Math.round((MINUTES * 60) / REPORT_S));
  while (reports.length < REPORTS) {
    const s = (performance.now() - started) / 1000;
    while (counts.w < Math.floor(s * WECOM_RATE)) {
      const i = counts.w++;
      const cb = wecomCallback(textMessageXml({ from: i % 2 ? 'rep-li' : 'rep-zhang', text: text(Math.floor(Math.random() * CUSTOMERS), i), msgId: String(9_000_000_000 + ++msgSeq) }));
      const t1 = performance.now();
      sent++;
      track(request('POST', `/wecom/callback?${cb.query}`, { 'content-type': 'text/xml' }, cb.body).then((st) => {
        if (st === 200) wecomLat.push(performance.now() - t1);
        else errors++;
      }));
    }
    while (counts.d < Math.floor(s * DT_RATE)) {
      const n = counts.d++;
      const id = h.dingtalk.pushRobotMessage({
        msgId: `soak-${n}`, msgtype: 'text', text: { content: `@Kelu ${text(Math.floor(Math.random() * CUSTOMERS), n)}` }, createAt: Date.now(),
        conversationType: '1', conversationId: 'cidSoak==', senderId: '$:LWCP_v1:$soak==', senderNick: '李销售', senderStaffId: 'dt-rep-li',
        chatbotUserId: '$:LWCP_v1:$bot==', sessionWebhook: `${h.dingtalk.url}/robot/sendBySession?session=s${n}`, sessionWebhookExpiredTime: Date.now() + 90 * 60_000,
      });
      dtPushed.set(id, performance.now());
    }
    while (counts.a < Math.floor(s * API_RATE)) {
      const k = counts.a++;
      const t1 = performance.now();
      const path = k % 2 ? '/api/v1/customers?limit=20' : '/api/v1/leads?limit=20';
      track(request('GET', path, { authorization: 'Bearer harness-admin-token-0123' }).then((st) => {
        if (st === 200) apiLat.push(performance.now() - t1);
        else errors++;
      }));
    }
    if (performance.now() >= nextReport) {
      const since = new Date(Date.now() - (performance.now() - reportStart));
      const [lag] = await t.database.query<{ p99: number; backlog: number }>(sql`
        select coalesce(percentile_disc(0.99) within group (order by extract(epoch from processed_at - received_at) * 1000), 0)::float as p99,
               (select count(*) from inbox_events where status in ('pending', 'processing'))::int as backlog
        from inbox_events where received_at >= ${since} and processed_at is not null`);
      // What only the bench keeps: emptied so the reading is the server's.
      h.logs.splice(0);
      const fakes = [h.wecom, h.dingtalk] as unknown as Record<string, unknown>[];
      for (const f of fakes) for (const k of ['requests', 'shown', 'delivered']) if (Array.isArray(f[k])) (f[k] as unknown[]).splice(0);
      (h.dingtalk.deliveries as Map<string, number>).clear();
      // DingTalk's own memory of card ids (so that a repeated cardBizId shows nothing new) and of
      // todos: one entry per answer or todo, kept by the fake for the whole run otherwise.
      const keptByFake = h.dingtalk.forget();
      const m = memory();
      const hd = handles();
      const w = summarize(wecomLat.splice(0));
      const a = summarize(apiLat.splice(0));
      const d = summarize(dtLat.splice(0));
      const min = (performance.now() - started) / 60_000;
      const [l1] = loadavg();
      reports.push({ heap: m.heap, rss: m.rss, handles: hd.total, p99: w.p99 });
      console.log(`${fmt(min, 1).padStart(5)} min  heap ${fmt(m.heap)} MB  rss ${fmt(m.rss, 0)} MB  handles ${hd.total} (${hd.detail})  | WeCom ack p50 ${fmt(w.p50)} p99 ${fmt(w.p99)} ms (n ${w.n})  DingTalk ack p99 ${fmt(d.p99)} ms (n ${d.n})  API p99 ${fmt(a.p99)} ms (n ${a.n})  processing lag p99 ${fmt(Number(lag!.p99), 0)} ms  backlog ${lag!.backlog}  errors ${errors}  fake DingTalk ids ${keptByFake}  load ${fmt(l1!, 2)}`);
      reportStart = performance.now();
      nextReport += REPORT_S * 1000;
    }
    await sleep(5);
  }
  await Promise.all(inflight);
  const first = reports[Math.min(1, reports.length - 1)];
  const last = reports.at(-1);
  if (first && last) {
    console.log(`from the ${reports.length > 1 ? 'second' : 'first'} report to the last: heap ${fmt(last.heap - first.heap, 1)} MB, rss ${fmt(last.rss - first.rss, 0)} MB, handles ${last.handles - first.handles}, WeCom ack p99 ${fmt(first.p99)} -> ${fmt(last.p99)} ms; ${sent} callbacks sent, ${errors} errors`);
  }
} finally {
  agent.destroy();
  await h.close();
  await t.drop();
}
process.exit(errors === 0 ? 0 : 1);
