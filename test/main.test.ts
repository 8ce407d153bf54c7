import { describe, expect, it, afterAll, beforeAll } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServerDatabase } from './helpers/test-db.js';
import { json } from './helpers/test-app.js';

// The real entry point, as `npm start` and production run it (the server compiled into dist/): start,
// serve, stop on SIGTERM, start again. How fast it starts is bench:startup's job; the deadline here only
// bounds a hung start on a loaded machine (the full suite runs beside it).

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

const BUILT = ['dist/main.js'];
const START_LIMIT_MS = 45_000;

beforeAll(() => {
  // dist/ is built by `prepare` on npm install/ci; bring it up to date with src/ as npm start does.
  execFileSync(process.execPath, ['scripts/build-changed.js'], { stdio: 'inherit' });
});

async function start(env: Record<string, string>, args = BUILT): Promise<Started> {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + START_LIMIT_MS;
  while (Date.now() < deadline) {
    const m = /readiness\s+(http:\/\/[^/\s]+)\/readyz/.exec(out);
    if (m) return { child, url: m[1]!, output: () => out };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start within ${START_LIMIT_MS / 1000} s:\n${out}`);
}

async function stop(s: Started): Promise<number | null> {
  const exited = new Promise<number | null>((res) => s.child.once('exit', (code) => res(code)));
  s.child.kill('SIGTERM');
  return exited;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('npm start (dist/main.js)', () => {
  it('serves health and readiness on embedded PGlite, stops cleanly and keeps data across restarts', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kelu-main-'));
    dirs.push(dataDir);
    const s1 = await start({ KELU_DATA_DIR: dataDir });
    expect((await fetch(`${s1.url}/healthz`)).status).toBe(200);
    expect(await json(await fetch(`${s1.url}/readyz`))).toMatchObject({ status: 'ready', database: 'pglite', channels: { dingtalk: { mode: 'http', tenants: {} } } });
    expect(s1.output()).toContain('/api/v1/customers');
    // Generated secrets are private to the owner.
    expect(statSync(path.join(dataDir, 'master.key')).mode & 0o077).toBe(0);
    const token = readFileSync(path.join(dataDir, 'admin.token'), 'utf8').trim();
    expect(s1.output()).not.toContain(token);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const demo = await json(await fetch(`${s1.url}/api/v1/customers`, { headers: auth }));
    expect(demo.items.length).toBeGreaterThan(0);
    const created = await fetch(`${s1.url}/api/v1/users`, { method: 'POST', headers: auth, body: JSON.stringify({ name: '重启测试', role: 'rep', accounts: [{ platform: 'wecom', kind: 'userid', value: 'restart-check' }] }) });
    expect(created.status).toBe(201);
    expect(await stop(s1)).toBe(0);
    expect(s1.output()).toContain('stopped cleanly');

    const s2 = await start({ KELU_DATA_DIR: dataDir });
    const users = await json(await fetch(`${s2.url}/api/v1/users?limit=200`, { headers: auth }));
    expect(users.items.map((u: { name: string }) => u.name)).toContain('重启测试');
    // The demo seed ran once, not twice.
    expect(users.items.filter((u: { name: string }) => u.name === '李销售')).toHaveLength(1);
    expect(await stop(s2)).toBe(0);
  }, 120_000);

  it('runs on a PostgreSQL server with DATABASE_URL', async () => {
    const server = await createServerDatabase();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kelu-main-'));
    dirs.push(dataDir);
    try {
      const s = await start({ KELU_DATA_DIR: dataDir, DATABASE_URL: server.url, KELU_MASTER_KEY: 'a-test-master-key-of-length', KELU_ADMIN_TOKEN: 'admin-token-for-the-pg-test' });
      expect(await json(await fetch(`${s.url}/readyz`))).toMatchObject({ status: 'ready', database: 'postgres' });
      const res = await fetch(`${s.url}/api/v1/users`, { headers: { authorization: 'Bearer admin-token-for-the-pg-test' } });
      expect(res.status).toBe(200);
      expect(await stop(s)).toBe(0);
    } finally {
      await server.drop();
    }
  }, 60_000);

  it('refuses to start with invalid configuration and says why', async () => {
    const child = spawn(process.execPath, BUILT, {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: 'postgres://127.0.0.1/x' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((res) => child.once('exit', res));
    expect(code).toBe(2);
    expect(err).toContain('KELU_MASTER_KEY');
  }, 30_000);
});

describe('the built server (node dist/main.js, what npm start and production run)', () => {
  it('answers /readyz, stops on SIGTERM with exit code 0 and leaves nothing listening', async () => {
    const server = await createServerDatabase();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kelu-main-'));
    dirs.push(dataDir);
    try {
      const s = await start({ KELU_DATA_DIR: dataDir, DATABASE_URL: server.url, KELU_MASTER_KEY: 'a-test-master-key-of-length', KELU_ADMIN_TOKEN: 'admin-token-for-the-built' }, ['dist/main.js']);
      expect(await json(await fetch(`${s.url}/readyz`))).toMatchObject({ status: 'ready', database: 'postgres' });
      expect(await stop(s)).toBe(0);
      expect(s.output()).toContain('stopped cleanly');
      await expect(fetch(`${s.url}/readyz`)).rejects.toThrow();
    } finally {
      await server.drop();
    }
  }, 60_000);
});

describe('SIGTERM drains keep-alive connections (node dist/main.js)', () => {
  it('answers requests in flight and on open keep-alive connections with Connection: close, resets none, then exits 0', async () => {
    const server = await createServerDatabase();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kelu-main-'));
    dirs.push(dataDir);
    try {
      const s = await start({ KELU_DATA_DIR: dataDir, DATABASE_URL: server.url, KELU_MASTER_KEY: 'a-test-master-key-of-length', KELU_ADMIN_TOKEN: 'admin-token-for-the-drain', KELU_DRAIN_MS: '1500' });
      const { hostname, port } = new URL(s.url);
      // A load balancer's pool: 8 keep-alive connections, each sending one request after another.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
      const outcomes: { at: 'before' | 'after'; status?: number; connection?: string; error?: string }[] = [];
      let signalled = false;
      const one = () => new Promise<void>((resolve) => {
        const at = signalled ? 'after' : 'before';
        const req = http.request({ host: hostname, port, path: '/healthz', agent }, (res) => {
          res.resume();
          res.on('end', () => {
            outcomes.push({ at, status: res.statusCode, connection: String(res.headers.connection) });
            resolve();
          });
        });
        req.on('error', (e: NodeJS.ErrnoException) => {
          outcomes.push({ at, error: e.code ?? e.message });
          resolve();
        });
        req.end();
      });
      // All 8 connections open and idle-in-between before the signal.
      await Promise.all(Array.from({ length: 8 }, one));
      expect(Object.values(agent.freeSockets).flat().length).toBe(8);
      let stopAt = 0;
      const exited = new Promise<number | null>((res) => s.child.once('exit', (code) => res(code)));
      const loops = Array.from({ length: 8 }, async () => {
        // Each connection keeps sending until it has been refused after the signal (the listener is gone).
        for (;;) {
          await one();
          const last = outcomes.at(-1)!;
          if (stopAt && Date.now() > stopAt) return;
          if (last.at === 'after' && last.error === 'ECONNREFUSED') return;
        }
      });
      // Let the loops run with requests in flight, then signal in the middle of them.
      while (outcomes.length < 200) await new Promise((r) => setImmediate(r));
      s.child.kill('SIGTERM');
      signalled = true;
      stopAt = Date.now() + 5000;
      await Promise.all(loops);
      expect(await exited).toBe(0);
      agent.destroy();
      const after = outcomes.filter((o) => o.at === 'after');
      const errors = outcomes.filter((o) => o.error).map((o) => o.error);
      // Nothing reset or cut: the only failure a client meets is a refused new connection, which a
      // load balancer retries on another instance.
      expect(errors.filter((e) => e !== 'ECONNREFUSED')).toEqual([]);
      // Every one of the 8 connections ended with an answer that told the client to close it (sent on
      // it after the server saw the signal), not with a cut; then the client's next connection was refused.
      expect(outcomes.filter((o) => o.connection === 'close')).toHaveLength(8);
      expect(outcomes.filter((o) => o.error === 'ECONNREFUSED')).toHaveLength(8);
      expect(after.filter((o) => o.status === 200).length).toBeGreaterThanOrEqual(8);
      expect(s.output()).toContain('stopped cleanly');
    } finally {
      await server.drop();
    }
  }, 90_000);
});
