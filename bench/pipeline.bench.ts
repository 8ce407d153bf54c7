// npm run bench:pipeline — 10,000 forwarded messages about 1,000 simulated customers through
// callback -> inbox -> extraction -> resolution -> lead -> reply, on the PostgreSQL server.
// Each customer's 10 messages introduce 7 identities in a chain (every new one beside a known one)
// and 3 of the 10 only repeat an earlier identity, so resolution must link all 7 to one customer.
// Prints messages/s, p50/p99 from acknowledgement to committed lead, and checks
// customers = simulated customers, identities = distinct identities, one reply per message.
// One server process with 12 inbox + 12 outbox workers: on this 2-core machine two processes
// (cluster) cost 3.6 ms of server CPU per message against 2.0 ms for one, and 12 workers halve the
// ack->lead p99 of 8 (queue wait) at the same CPU (BENCH_PROCESSES / BENCH_WORKERS override).
import autocannon from 'autocannon';
import pg from 'pg';
import { WecomCrypto } from '../src/adapters/wecom/wecom.crypto.js';
import { BENCH_WECOM, benchDatabase, startFakeWecomProcess, startServerProcess, wecomServerEnv } from './harness.js';
import { fmt, summarize } from './stats.js';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1000);
const PER_CUSTOMER = Number(process.env.BENCH_PER_CUSTOMER ?? 10); // at most 10 (the chain below)
const RATE = Number(process.env.BENCH_RATE ?? 350); // offered messages per second
const REPS = 20;
const W = BENCH_WECOM;
const SURNAMES = '王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高';
const PRODUCTS = ['血压计', '血糖仪', '助行器', '轮椅', '制氧机', '监护仪', '检漏仪'];

function identities(c: number) {
  const n = String(c).padStart(4, '0');
  return {
    phone1: `1390000${n}`,
    email: `c${n}@kehu${n}.cn`,
    wechat: `wxid_kh${n}`,
    phone2: `1370000${n}`,
    landline: `021-6${n}123`,
    email2: `buy${n}@corp${n}.com`,
    wechat2: `wxid_cg${n}`,
  };
}

function messageText(c: number, k: number): string {
  const id = identities(c);
  const who = `${SURNAMES[c % SURNAMES.length]}先生`;
  const product = PRODUCTS[(c + k) % PRODUCTS.length];
  const says = [
    `${who}想了解一下${product}，电话 ${id.phone1}`,
    `${who} ${id.phone1} 邮箱 ${id.email}，问${product}怎么卖`,
    `${who}的邮箱 ${id.email}，微信号 ${id.wechat}，想看看${product}`,
    `${who}换了个微信 ${id.wechat} 也可以打 ${id.phone2}，关注${product}`,
    `${who}的新号码 ${id.phone2}，办公室座机 ${id.landline}`,
    `${who}座机 ${id.landline}，采购邮箱 ${id.email2}`,
    `${who}采购邮箱 ${id.email2}，采购微信 wx：${id.wechat2}`,
    `${who}又问了${product}的情况，电话 ${id.phone1}`,
    `${who}（${id.email}）说再比较一下${product}`,
    `${who}那边微信 ${id.wechat} 回复了，还在考虑${product}`,
  ];
  return says[k]!;
}

async function main() {
  const fresh = await benchDatabase();
  const fake = await startFakeWecomProcess(W.corpId, W.secret);
  const server = await startServerProcess(wecomServerEnv(fresh.url, fake.url, { workers: '12', processes: '1' }));
  const base = server.base;
  const auth = { authorization: 'Bearer bench-admin-token-0123456789', 'content-type': 'application/json' };
  for (let r = 0; r < REPS; r++) {
    const res = await fetch(`${base}/api/v1/users`, { method: 'POST', headers: auth, body: JSON.stringify({ name: `销售${r}`, role: 'rep', accounts: [{ platform: 'wecom', kind: 'userid', value: `rep${r}` }] }) });
    if (res.status !== 201) throw new Error(`could not create rep: ${res.status}`);
  }

  // Round-robin over customers, so one customer's messages arrive in order and far apart.
  const crypto = new WecomCrypto(W.token, W.encodingAesKey);
  const ts = String(Math.floor(Date.now() / 1000));
  const requests: { path: string; body: string }[] = [];
  for (let k = 0; k < PER_CUSTOMER; k++) {
    for (let c = 0; c < CUSTOMERS; c++) {
      const i = requests.length;
      const rep = `rep${c % REPS}`;
      const xml = `<xml><ToUserName><![CDATA[${W.corpId}]]></ToUserName><FromUserName><![CDATA[${rep}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${messageText(c, k)}]]></Content><MsgId>${2_000_000 + i}</MsgId><AgentID>${W.agentId}</AgentID></xml>`;
      const encrypt = crypto.encrypt(xml, W.corpId);
      const nonce = `p${i}`;
      requests.push({ path: `/wecom/callback?msg_signature=${crypto.signature(ts, nonce, encrypt)}&timestamp=${ts}&nonce=${nonce}`, body: `<xml><ToUserName><![CDATA[${W.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[${W.agentId}]]></AgentID></xml>` });
    }
  }
  const N = requests.length;
  let next = 0;
  const started = performance.now();
  const result = await autocannon({
    url: base,
    connections: 16,
    amount: N,
    overallRate: RATE,
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    requests: [{ setupRequest: (req) => ({ ...req, ...requests[next++ % N]!, method: 'POST' }) }],
  });
  const db = new pg.Client({ connectionString: fresh.url });
  await db.connect();
  for (;;) {
    const r = await db.query(`select count(*) filter (where status = 'done')::int as done, count(*) filter (where status in ('dead','failed'))::int as dead from inbox_events`);
    if (r.rows[0].done + r.rows[0].dead >= N || performance.now() - started > 300_000) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const last = await db.query(`select extract(epoch from max(processed_at) - min(received_at)) as secs from inbox_events`);
  const span = Number(last.rows[0].secs);
  const lat = (await db.query(`select extract(epoch from processed_at - received_at) * 1000 as ms from inbox_events where status = 'done'`)).rows.map((r) => Number(r.ms));
  const l = summarize(lat);
  const counts = (await db.query(`
    select (select count(*) from customers where merged_into is null)::int as customers,
           (select count(*) from customers where merged_into is not null)::int as merged,
           (select count(*) from customer_identities)::int as identities,
           (select count(*) from leads)::int as leads,
           (select count(*) from interactions)::int as interactions,
           (select count(*) from inbox_events where status = 'done')::int as processed,
           (select count(*) from inbox_events where attempts > 1)::int as retried,
           (select count(*) from inbox_events where status in ('dead', 'failed'))::int as dead`)).rows[0];
  // Replies are keyed in:<platform>:<event id>:<n>; one grouped hash join, not a LIKE per event.
  const replies = (await db.query(`
    select count(*)::int as events, count(*) filter (where o.n = 1)::int as exactly_one
    from inbox_events e left join (
      select regexp_replace(dedupe_key, ':[0-9]+$', '') as k, count(*) as n from outbox_messages
      where dedupe_key like 'in:%' and (payload->'to'->'userIds'->>0) like 'rep%' group by 1) o
    on o.k = 'in:' || e.platform || ':' || e.event_id`)).rows[0];
  console.log(`bench:pipeline — ${N} messages, ${CUSTOMERS} customers (7 identities each, 3 of 10 messages repeat an earlier identity), offered ${RATE}/s, ${process.env.BENCH_PROCESSES ?? 1} server process(es) x ${process.env.BENCH_WORKERS ?? 12} inbox + outbox workers, PostgreSQL server`);
  console.log(`acknowledged ${result['2xx']}/${N} (non-2xx ${result.non2xx}), ack latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
  console.log(`processed ${counts.processed} in ${fmt(span, 1)} s = ${fmt(counts.processed / span, 0)} messages/s (first acknowledged -> last committed)`);
  console.log(`acknowledge -> committed lead: p50 ${fmt(l.p50, 0)} ms, p95 ${fmt(l.p95, 0)} ms, p99 ${fmt(l.p99, 0)} ms, max ${fmt(l.max, 0)} ms; retried ${counts.retried}, dead ${counts.dead}`);
  const idsExpected = CUSTOMERS * Math.min(PER_CUSTOMER, 7); // messages 1-7 each bring one new identity
  console.log(`customers ${counts.customers} (expected ${CUSTOMERS}; ${counts.merged} merged away), identities ${counts.identities} (expected ${idsExpected}), leads ${counts.leads}, interactions ${counts.interactions}`);
  console.log(`replies: ${replies.exactly_one}/${replies.events} messages got exactly one card to the rep`);
  const ok = counts.customers === CUSTOMERS && counts.identities === idsExpected && replies.exactly_one === N && counts.interactions === N;
  console.log(ok ? 'checks: OK' : 'checks: MISMATCH');
  console.log('targets: >= 300 messages/s, p99 < 1 s');
  await db.end();
  await server.stop();
  fake.stop();
  if (process.env.BENCH_KEEP_DB) console.log(`database kept: ${fresh.url}`);
  else await fresh.drop();
  if (!ok) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
