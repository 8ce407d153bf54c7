// npm run bench:startup — how long `npm start` takes to answer /readyz on the embedded default
// (PGlite), first on a fresh data dir (creates the database, migrates, seeds the demo tenant) and then
// on restarts; and whether a SIGTERM sent to the process `npm start` gave us stops everything it
// started (nothing left listening, no orphaned server). Targets: first < 8 s, restarts < 3 s.
// BENCH_START_CMD overrides the command (e.g. "node dist/main.js"); BENCH_RESTARTS the restart count.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CMD = process.env.BENCH_START_CMD ?? 'npm start';
const RESTARTS = Number(process.env.BENCH_RESTARTS ?? 5);
const READY_LIMIT_MS = 60_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function readyz(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/readyz', timeout: 500 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => {
      req.destroy();
      resolve(0);
    });
    req.end();
  });
}

/** Polls /readyz until it answers 200; the poll interval bounds the measurement's resolution. */
async function waitReady(port: number, child: ChildProcess, t0: number): Promise<number> {
  while (performance.now() - t0 < READY_LIMIT_MS) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before it was ready`);
    if ((await readyz(port)) === 200) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`not ready within ${READY_LIMIT_MS} ms`);
}

async function waitClosed(port: number, limitMs: number): Promise<boolean> {
  const t0 = performance.now();
  while (performance.now() - t0 < limitMs) {
    if ((await readyz(port)) === 0) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function once(dataDir: string): Promise<{ readyMs: number; stoppedMs: number; orphan: boolean; exitCode: number | null }> {
  const port = await freePort();
  const [cmd, ...args] = CMD.split(' ');
  const t0 = performance.now();
  const child = spawn(cmd!, args, {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KELU_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // its own process group, so whatever it leaves behind can be cleaned up below
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  child.once('exit', (code) => {
    if (code !== 0 && code !== null && stderr) process.stderr.write(stderr);
  });
  const readyMs = await waitReady(port, child, t0);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const s0 = performance.now();
  child.kill('SIGTERM'); // what a process manager or Ctrl-C's terminal does to the process it started
  const exitCode = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 35_000))]);
  const stoppedMs = performance.now() - s0;
  // Still answering after its parent exited: an orphaned server.
  const orphan = !(await waitClosed(port, 3_000));
  try {
    process.kill(-child.pid!, 'SIGKILL'); // an orphaned server must not outlive the benchmark
  } catch {
    // the group is gone: nothing was left behind
  }
  return { readyMs, stoppedMs, orphan, exitCode };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kelu-startup-'));
  const dataDir = path.join(dir, 'data');
  try {
    console.log(`bench:startup — "${CMD}" on a fresh embedded data dir, then ${RESTARTS} restarts`);
    const first = await once(dataDir);
    const restarts = [];
    for (let i = 0; i < RESTARTS; i++) restarts.push(await once(dataDir));
    const ms = restarts.map((r) => r.readyMs).sort((a, b) => a - b);
    const median = ms[Math.floor(ms.length / 2)]!;
    const all = [first, ...restarts];
    console.log(`first start (creates the database): ready in ${(first.readyMs / 1000).toFixed(2)} s   target < 8 s   ${first.readyMs < 8000 ? 'OK' : 'MISSED'}`);
    console.log(`restart: ready in min ${(ms[0]! / 1000).toFixed(2)} s, median ${(median / 1000).toFixed(2)} s, max ${(ms[ms.length - 1]! / 1000).toFixed(2)} s   target < 3 s   ${median < 3000 ? 'OK' : 'MISSED'}`);
    const orphans = all.filter((r) => r.orphan).length;
    const unclean = all.filter((r) => r.exitCode !== 0).length;
    console.log(`SIGTERM to the started process: ${all.length - orphans}/${all.length} left nothing listening, ${all.length - unclean}/${all.length} exited 0, slowest stop ${Math.max(...all.map((r) => r.stoppedMs)).toFixed(0)} ms   ${orphans === 0 && unclean === 0 ? 'OK' : 'MISSED'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
