// npm run bench:tracking — the public tracking paths on the PostgreSQL server, Kelu as a child process:
// tracked-link clicks (/l/<code>, a redirect and a row) and landing-page events (/t/e), each from its own
// address (as real visitors are; the per-address limits are not what is measured), 20 at a time.
import { benchDatabase, startServerProcess } from './harness.js';
import { cpuSeconds, fmt, summarize } from './stats.js';

const CLICKS = Number(process.env.BENCH_CLICKS ?? 1000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2000);
const CONCURRENCY = 20;
const TOKEN = 'bench-admin-token-0123456789';

async function pool(n: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  const ms: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      await fn(i);
      ms.push(performance.now() - t0);
    }
  }));
  return ms;
}

const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

async function main(): Promise<void> {
  const db = await benchDatabase();
  const server = await startServerProcess({ DATABASE_URL: db.url, KELU_MASTER_KEY: 'bench-master-key-0123456789', KELU_ADMIN_TOKEN: TOKEN, KELU_WORKERS: '1', KELU_PROCESSES: '1' });
  try {
    const op = async (path: string, body?: unknown) => (await fetch(`${server.base}${path}`, { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined })).json() as Promise<any>;
    const link = await op('/api/v1/tracking/links', { campaign: 'bench', channel: '抖音', landingUrl: 'https://landing.example.com/dr' });
    const { publicKey } = await op('/api/v1/settings/tracking');
    const vids: string[] = [];
    let cpu0 = cpuSeconds(server.child.pid!);
    let t0 = performance.now();
    const clicks = await pool(CLICKS, async (i) => {
      const r = await fetch(`${server.base}/l/${link.code}`, { redirect: 'manual', headers: { 'x-forwarded-for': ip(i) } });
      if (r.status !== 302) throw new Error(`click ${r.status}`);
      vids[i] = new URL(r.headers.get('location')!).searchParams.get('kelu_vid')!;
    });
    let secs = (performance.now() - t0) / 1000;
    let s = summarize(clicks);
    console.log(`clicks: ${CLICKS} in ${fmt(secs)} s = ${fmt(CLICKS / secs, 0)}/s; p50 ${fmt(s.p50)} ms p99 ${fmt(s.p99)} ms; server CPU ${fmt(((cpuSeconds(server.child.pid!) - cpu0) / CLICKS) * 1000, 2)} ms/click`);
    const kinds = ['video', 'download', 'demo'];
    cpu0 = cpuSeconds(server.child.pid!);
    t0 = performance.now();
    const events = await pool(EVENTS, async (i) => {
      const r = await fetch(`${server.base}/t/e`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-forwarded-for': ip(100_000 + i) }, body: JSON.stringify({ k: publicKey, v: vids[i % vids.length], e: kinds[i % 3], id: `e${i}` }) });
      if (r.status !== 201) throw new Error(`event ${r.status}`);
    });
    secs = (performance.now() - t0) / 1000;
    s = summarize(events);
    console.log(`events: ${EVENTS} in ${fmt(secs)} s = ${fmt(EVENTS / secs, 0)}/s; p50 ${fmt(s.p50)} ms p99 ${fmt(s.p99)} ms; server CPU ${fmt(((cpuSeconds(server.child.pid!) - cpu0) / EVENTS) * 1000, 2)} ms/event`);
  } finally {
    await server.stop();
    await db.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
