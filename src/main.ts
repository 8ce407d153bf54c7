import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import cluster from 'node:cluster';
import { loadConfig, ConfigError, type Config } from './config.js';
import { createLogger } from './lib/logger.js';
import { SecretBox } from './lib/secret-box.js';
import { openDatabase } from './db/database.js';
import { resolveMasterKey } from './app/master-key.js';
import { bootstrapDefaultTenant } from './app/bootstrap.js';
import { startServer } from './server.js';
import { createRuntime } from './app/runtime.js';
import { warmUp } from './nlp/index.js';

function resolveAdminToken(config: Config): { token?: string; file?: string } {
  if (config.adminToken) return { token: config.adminToken };
  if (config.databaseUrl) return {};
  // Embedded default: a newcomer gets a working admin token without configuring one.
  const file = path.resolve(config.dataDir, 'admin.token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), file };
  mkdirSync(path.dirname(file), { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, file };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`kelu: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  if (config.processes > 1 && cluster.isPrimary) return runPrimary(config.processes);
  const logger = createLogger(config.logLevel);
  // Start-up phases, in ms since the process started (performance.now()): where the time goes.
  let mark = 0;
  const phase = (name: string) => {
    const now = performance.now();
    logger.debug({ phase: name, ms: Math.round(now - mark), sinceStart: Math.round(now) }, 'start-up phase');
    mark = now;
  };
  phase('node boot and imports');
  const { key, generated } = resolveMasterKey(config);
  if (generated) logger.info({ file: path.resolve(config.dataDir, 'master.key') }, 'generated a master key for the embedded database');
  const box = new SecretBox(key);
  const admin = resolveAdminToken(config);

  phase('config and secrets');
  const opening = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  // Load the segmenter's dictionary now, not inside the first customer's message; PGlite compiles its
  // WebAssembly and reads files in the background meanwhile.
  warmUp();
  phase('extraction engine warm-up');
  const database = await opening;
  phase('database open');
  const applied = await database.migrate();
  if (applied.length) logger.info({ applied }, 'migrations applied');
  phase('migrations');
  const { demo } = await bootstrapDefaultTenant(config, database, box, logger);
  phase('default tenant');

  const runtime = createRuntime({ config: { ...config, adminToken: admin.token }, database, logger, box });
  runtime.start();
  phase('runtime');
  const server = await startServer({ database, logger, routers: runtime.routers, channels: runtime.status }, config.port, config.host);
  runtime.setLoadGauge(server.pressure);
  phase('listening');

  // A newcomer's first stop first: the playground (demo tenant only), then the pages, then the API and callbacks.
  const lines = [
    `Kelu 客路 is running on ${database.kind === 'pglite' ? `embedded PostgreSQL (PGlite) in ${path.resolve(config.dataDir)}` : 'PostgreSQL server'}${demo ? ' with the demo tenant' : ''}`,
    ...(demo ? [`  playground  ${server.url}/   (体验场: type as a customer, forward as the rep, press the cards; ${runtime.playground.platforms().map((p) => p.label).join(' / ')}, no credentials)`] : []),
    `  sign in     ${server.url}/signin   (${demo ? 'pick a demo user' : 'inside the chat platform'})`,
    `  sidebar     ${server.url}/sidebar   (the chat side panel${demo ? '; in the playground it opens on the customer in view' : ''})`,
    `  admin       ${server.url}/admin   (people, channels, keys, rules, audit); dashboard ${server.url}/dashboard`,
    `  API         ${server.url}/api/v1/customers   (Authorization: Bearer <token>${admin.file ? ` from ${admin.file}` : admin.token ? ' = KELU_ADMIN_TOKEN' : '; set KELU_ADMIN_TOKEN to enable'})`,
    ...[...runtime.platforms.values()].flatMap((p) => p.describe?.(server.url) ?? []).map((l) => `  ${l}`),
    `  health      ${server.url}/healthz   readiness ${server.url}/readyz`,
  ];
  if (cluster.isPrimary || cluster.worker?.id === 1) process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, draining in-flight work');
    const hard = setTimeout(() => process.exit(1), 30_000);
    hard.unref();
    try {
      await server.close({ drainMs: config.drainMs });
      await runtime.stop();
      await database.close();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * Several server processes on one port (node cluster): each runs the HTTP side and its own queue
 * workers; SKIP LOCKED leases and advisory locks already make them safe to run side by side.
 */
function runPrimary(n: number): void {
  let stopping = false;
  for (let i = 0; i < n; i++) cluster.fork();
  cluster.on('exit', (worker, code) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    process.stderr.write(`kelu: process ${worker.process.pid} exited with ${code}; starting another\n`);
    cluster.fork();
  });
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  process.stderr.write(`kelu: failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
