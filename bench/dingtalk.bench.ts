// npm run bench:dingtalk — DingTalk Stream ingestion on the PostgreSQL server: the real dingtalk-stream SDK
// connected to the fake gateway, robot messages pushed over the WebSocket, each stored in the inbox and then
// acknowledged (the product's real path: runtime.store -> one insert -> ACK).
// Reports events/s for a burst, ACK latency (push -> ACK seen at the gateway) at a steady rate, and
// checks that the inbox holds exactly the events sent.
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/database.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/lib/logger.js';
import { SecretBox } from '../src/lib/secret-box.js';
import { createRuntime } from '../src/app/runtime.js';
import type { DingtalkStreams } from '../src/adapters/dingtalk/dingtalk.channel.js';
import { setChannelCredentials, upsertTenant } from '../src/crm/tenants.repo.js';
import { FakeDingtalkServer, type StreamAck } from '../test/fakes/fake-dingtalk-server.js';
import { fmt, summarize } from './stats.js';
import { benchDatabase } from './harness.js';

const BURST = Number(process.env.BENCH_DT_BURST ?? 5000);
const STEADY = Number(process.env.BENCH_DT_STEADY ?? 5000);
const RATE = Number(process.env.BENCH_DT_RATE ?? 1000);
const POOL = Number(process.env.BENCH_DT_POOL ?? 10);

let seq = 0;
const robotMessage = (fakeUrl: string) => {
  const n = ++seq;
  return {
    msgId: `bench-${n}`,
    msgtype: 'text',
    text: { content: `@Kelu 孙主任想下周四上午10点看一下移动DR的演示 #${n}` },
    createAt: Date.now(),
    conversationType: '1',
    conversationId: 'cidBench==',
    senderId: '$:LWCP_v1:$bench==',
    senderNick: '李销售',
    senderStaffId: 'dt-rep-li',
    chatbotUserId: '$:LWCP_v1:$bot==',
    sessionWebhook: `${fakeUrl}/robot/sendBySession?session=s${n}`,
    sessionWebhookExpiredTime: Date.now() + 90 * 60_000,
  };
};

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function main() {
  const fresh = await benchDatabase();
  const database = await openDatabase({ databaseUrl: fresh.url, poolSize: POOL });
  const fake = new FakeDingtalkServer();
  const { gatewayUrl } = await fake.start();
  // The SDK announces connects on the console.
  const consoleInfo = console.info;
  console.info = () => undefined;

  // ACK arrival times, taken where the gateway sees them.
  const pushedAt = new Map<string, number>();
  const ackedAt = new Map<string, number>();
  const acks = fake.acks;
  acks.push = (...items: StreamAck[]) => {
    const t = performance.now();
    for (const a of items) if (a.code === 200 && !ackedAt.has(a.messageId)) ackedAt.set(a.messageId, t);
    return Array.prototype.push.apply(acks, items);
  };
  const push = () => {
    const id = fake.pushRobotMessage(robotMessage(fake.url));
    pushedAt.set(id, performance.now());
    return id;
  };

  const box = new SecretBox('bench-master-key-0123456789abcdef');
  const runtime = createRuntime({
    config: loadConfig({ DATABASE_URL: fresh.url, KELU_MASTER_KEY: 'bench-master-key-0123456789abcdef', DINGTALK_STREAM: 'on', DINGTALK_GATEWAY_URL: gatewayUrl, KELU_WORKERS: '0' }),
    database,
    logger: createLogger('silent'),
    box,
  });
  try {
    await database.migrate();
    await upsertTenant(database.db, { tenantId: 'default', name: 'bench' }, 'bench');
    await setChannelCredentials(database.db, 'default', 'dingtalk', box.sealJson({ appKey: 'fake-app-key', appSecret: 'fake-app-secret' }), 'bench');
    // Inbox workers stay off (KELU_WORKERS=0): this measures the ingest path, store then ACK.
    runtime.start();
    await until(() => fake.openConnections === 1 && ((runtime.platforms.get('dingtalk')?.connection as DingtalkStreams | undefined)?.link('default')?.running ?? false), 10_000, 'stream connection');

    // Warm-up: connections in the pool, JIT.
    const warm = Array.from({ length: 200 }, push);
    await until(() => warm.every((id) => ackedAt.has(id)), 30_000, 'warm-up acks');

    // 1. Burst: everything pushed at once; throughput is what the ingest path sustains under a backlog.
    const burst: string[] = [];
    const b0 = performance.now();
    for (let i = 0; i < BURST; i++) burst.push(push());
    await until(() => burst.every((id) => ackedAt.has(id)), 120_000, 'burst acks');
    const b1 = Math.max(...burst.map((id) => ackedAt.get(id)!));
    const burstSecs = (b1 - b0) / 1000;
    const burstLat = summarize(burst.map((id) => ackedAt.get(id)! - pushedAt.get(id)!));

    // 2. Steady: RATE events/s in 5 ms ticks; latency is the per-event cost without a backlog.
    const steady: string[] = [];
    const perTick = Math.max(1, Math.round(RATE / 200));
    const s0 = performance.now();
    while (steady.length < STEADY) {
      const due = Math.min(STEADY, Math.floor(((performance.now() - s0) / 1000) * RATE) + perTick);
      while (steady.length < due) steady.push(push());
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => steady.every((id) => ackedAt.has(id)), 120_000, 'steady acks');
    const steadySecs = (Math.max(...steady.map((id) => ackedAt.get(id)!)) - s0) / 1000;
    const steadyLat = summarize(steady.map((id) => ackedAt.get(id)! - pushedAt.get(id)!));

    const sent = warm.length + burst.length + steady.length;
    const [{ n, distinct }] = await database.query<{ n: number; distinct: number }>(
      sql`select count(*)::int as n, count(distinct event_id)::int as distinct from inbox_events where tenant_id = 'default' and platform = 'dingtalk'`,
    );
    const dupAcks = fake.acks.filter((a) => a.code === 200).length - ackedAt.size;

    console.log(`bench:dingtalk — PostgreSQL server (pool ${POOL}), real dingtalk-stream SDK, fake gateway on 127.0.0.1`);
    console.log(
      `burst   ${BURST} events in ${fmt(burstSecs, 2)} s = ${Math.round(BURST / burstSecs)} events/s | push->ack p50 ${fmt(burstLat.p50)} ms, p99 ${fmt(burstLat.p99)} ms (queueing included)`,
    );
    console.log(
      `steady  ${STEADY} events at ${RATE}/s offered, ${Math.round(STEADY / steadySecs)} events/s done | push->ack p50 ${fmt(steadyLat.p50, 2)} ms, p95 ${fmt(steadyLat.p95, 2)} ms, p99 ${fmt(steadyLat.p99, 2)} ms, max ${fmt(steadyLat.max, 1)} ms`,
    );
    console.log(`inbox   ${n} rows (${distinct} distinct) for ${sent} events sent; ${dupAcks} duplicate acks; ${fake.unackedIds.length} unacked  ${n === sent && distinct === sent ? 'OK' : 'MISMATCH'}`);
    console.log('targets: >= 1,000 events/s, steady p99 < 50 ms');
    if (n !== sent || distinct !== sent) process.exitCode = 1;
  } finally {
    await runtime.stop();
    console.info = consoleInfo;
    await fake.stop();
    await database.close();
    await fresh.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
