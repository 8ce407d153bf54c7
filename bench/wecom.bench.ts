// npm run bench:wecom — distinct, pre-encrypted WeCom callbacks posted by autocannon to a Kelu server
// (a child process, as in production) on the PostgreSQL server with its workers running.
// Prints acknowledged callbacks/s, p50/p99 acknowledge latency, and checks stored == sent.
import autocannon from 'autocannon';
import pg from 'pg';
import { WecomCrypto } from '../src/adapters/wecom/wecom.crypto.js';
import { cpuSeconds, cpuSecondsOf } from './stats.js';
import { BENCH_WECOM, benchDatabase, startFakeWecomProcess, startServerProcess, wecomServerEnv } from './harness.js';

const N = Number(process.env.BENCH_MESSAGES ?? 20_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const W = BENCH_WECOM;

async function main() {
  const fresh = await benchDatabase();
  const fake = await startFakeWecomProcess(W.corpId, W.secret);
  const server = await startServerProcess(wecomServerEnv(fresh.url, fake.url, { workers: '2', processes: '1' }));
  const base = server.base;

  const crypto = new WecomCrypto(W.token, W.encodingAesKey);
  const ts = String(Math.floor(Date.now() / 1000));
  const requests = Array.from({ length: N }, (_, i) => {
    const xml = `<xml><ToUserName><![CDATA[${W.corpId}]]></ToUserName><FromUserName><![CDATA[rep${i % 50}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[王总 1381234${String(i % 10000).padStart(4, '0')} 想看血压计]]></Content><MsgId>${1_000_000 + i}</MsgId><AgentID>${W.agentId}</AgentID></xml>`;
    const encrypt = crypto.encrypt(xml, W.corpId);
    const nonce = `n${i}`;
    const sig = crypto.signature(ts, nonce, encrypt);
    return { path: `/wecom/callback?msg_signature=${sig}&timestamp=${ts}&nonce=${nonce}`, body: `<xml><ToUserName><![CDATA[${W.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[${W.agentId}]]></AgentID></xml>` };
  });

  let next = 0;
  const cpu0 = { server: cpuSeconds(server.child.pid!), pg: cpuSecondsOf('postgres') };
  const started = performance.now();
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    amount: N,
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    requests: [{ setupRequest: (req) => ({ ...req, ...requests[next++ % N]!, method: 'POST' }) }],
  });
  const ok = result['2xx'];
  // Wall clock around the run: autocannon's own duration is rounded to whole seconds.
  const secs = (performance.now() - started) / 1000;
  const cpu = { server: cpuSeconds(server.child.pid!) - cpu0.server, pg: cpuSecondsOf('postgres') - cpu0.pg };
  console.log(`bench:wecom — ${N} distinct encrypted callbacks, ${CONNECTIONS} connections, PostgreSQL server, 2 inbox + 2 outbox workers`);
  console.log(`acknowledged ${ok}/${N} (non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}) in ${secs.toFixed(2)} s = ${Math.round(ok / secs)} callbacks/s`);
  console.log(`CPU per acknowledged callback during the load: server ${Math.round((cpu.server / ok) * 1e6)} µs, PostgreSQL ${Math.round((cpu.pg / ok) * 1e6)} µs (includes what workers did meanwhile)`);
  console.log(`acknowledge latency p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);

  const db = new pg.Client({ connectionString: fresh.url });
  await db.connect();
  const t0 = Date.now();
  const during = await db.query(`select count(*) filter (where status = 'done')::int as done from inbox_events`);
  console.log(`processed while the load ran: ${during.rows[0].done}`);
  for (;;) {
    const r = await db.query(`select count(*)::int as n, count(*) filter (where status = 'done')::int as done from inbox_events`);
    if (r.rows[0].done === r.rows[0].n || Date.now() - t0 > 120_000) break;
    await new Promise((res) => setTimeout(res, 250));
  }
  const { rows } = await db.query(`select count(*)::int as stored, count(distinct event_id)::int as distinct_ids, count(*) filter (where status = 'done')::int as processed from inbox_events`);
  const outbox = await db.query(`select count(*)::int as n from outbox_messages`);
  const drained = (Date.now() - t0) / 1000;
  const s = rows[0];
  console.log(`stored events ${s.stored} (distinct ${s.distinct_ids}) vs distinct messages sent ${N}: ${s.stored === N && s.distinct_ids === N ? 'OK, none lost or doubled' : 'MISMATCH'}`);
  console.log(`processed ${s.processed}, replies queued ${outbox.rows[0].n}; workers drained the backlog ${drained.toFixed(1)} s after the load ended`);
  console.log('targets: >= 1,500 acknowledged callbacks/s, p99 < 50 ms, zero lost or doubled');
  await db.end();
  await server.stop();
  fake.stop();
  await fresh.drop();
  if (s.stored !== N || s.distinct_ids !== N) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
