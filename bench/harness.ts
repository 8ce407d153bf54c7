// What every benchmark needs: a fresh database on the PostgreSQL server, and Kelu (and the fake
// WeCom API) running as child processes, the way production runs them.
import fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServerDatabase } from '../test/helpers/test-db.js';

export { createServerDatabase as benchDatabase };

/** The WeCom app every benchmark's server is configured with (the fake WeCom accepts its secret). */
export const BENCH_WECOM = { corpId: 'wwbench0000000001', agentId: '1000002', secret: 'bench-secret', token: 'benchtoken', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };

/** Server environment for a WeCom benchmark on a fresh database; BENCH_WORKERS / BENCH_PROCESSES override. */
export function wecomServerEnv(databaseUrl: string, wecomApiBase: string, defaults: { workers: string; processes: string }): Record<string, string> {
  const W = BENCH_WECOM;
  return {
    DATABASE_URL: databaseUrl, KELU_MASTER_KEY: 'bench-master-key-0123456789', KELU_ADMIN_TOKEN: 'bench-admin-token-0123456789',
    KELU_WORKERS: process.env.BENCH_WORKERS ?? defaults.workers, KELU_PROCESSES: process.env.BENCH_PROCESSES ?? defaults.processes,
    ...(process.env.BENCH_POOL ? { DATABASE_POOL_SIZE: process.env.BENCH_POOL } : {}),
    WECOM_CORP_ID: W.corpId, WECOM_AGENT_ID: W.agentId, WECOM_SECRET: W.secret, WECOM_TOKEN: W.token, WECOM_ENCODING_AES_KEY: W.encodingAesKey, WECOM_API_BASE: wecomApiBase,
  };
}

export interface ServerProcess {
  base: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `src/main.ts` with this environment and resolves once it prints its readiness URL. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  // BENCH_SERVER_LOG=<file>: the server's own log lines (warn and above) kept for reading afterwards.
  if (process.env.BENCH_SERVER_LOG) child.stdout!.pipe(fs.createWriteStream(process.env.BENCH_SERVER_LOG, { flags: 'a' }));
  const base = await new Promise<string>((res, rej) => {
    const t = setInterval(() => {
      const m = /readiness\s+(http:\/\/[^/\s]+)\/readyz/.exec(out);
      if (m) {
        clearInterval(t);
        res(m[1]!);
      }
    }, 50);
    child.once('exit', (c) => {
      clearInterval(t);
      rej(new Error(`server exited ${c}: ${out}`));
    });
  });
  return {
    base,
    child,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The fake WeCom API in its own process, so the load generator does not also serve every reply. */
export async function startFakeWecomProcess(corpId: string, secret: string): Promise<{ url: string; stop(): void }> {
  const fake = spawn(process.execPath, ['--import', 'tsx', 'bench/fake-wecom.child.ts', corpId, secret], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((res) => fake.stdout!.once('data', (d) => res(String(d).trim())));
  return { url, stop: () => void fake.kill('SIGTERM') };
}
