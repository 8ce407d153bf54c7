import { z } from 'zod';
import { AppError } from './lib/errors.js';
import { optionalString, optionalUrl } from './lib/env.js';
import type { AdapterSettings, AnyAdapter } from './channel/adapter.js';
import { adapters as allAdapters } from './adapters/index.js';

// The only reader of process.env in the product. Everything else receives a Config. Each adapter
// owns its variables (its envShape); this file validates the core's and theirs in one pass.

const coreShape = {
  NODE_ENV: optionalString,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: 'DATABASE_URL must start with postgres:// or postgresql://',
  }),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).optional(),
  KELU_DATA_DIR: z.string().default('./data'),
  KELU_PUBLIC_URL: optionalUrl('KELU_PUBLIC_URL'),
  KELU_MASTER_KEY: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'KELU_MASTER_KEY must be at least 16 characters (32 random bytes in base64 recommended)',
  }),
  KELU_ADMIN_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
    message: 'KELU_ADMIN_TOKEN must be at least 16 characters',
  }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KELU_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(1024 * 1024),
  KELU_WORKERS: z.coerce.number().int().min(0).max(64).default(2),
  KELU_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  KELU_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(2000),
  KELU_WARMUP_MS: z.coerce.number().int().min(0).max(120_000).default(3000),
};

export interface Config {
  env: string;
  port: number;
  host: string;
  databaseUrl?: string;
  databasePoolSize: number;
  dataDir: string;
  publicUrl?: string;
  masterKey?: string;
  adminToken?: string;
  logLevel: string;
  bodyLimitBytes: number;
  workers: number;
  /** Server processes sharing the port (node cluster); more than one needs a PostgreSQL server. */
  processes: number;
  /**
   * On SIGTERM: how long open keep-alive connections may still bring requests (answered with
   * `Connection: close`) before the idle ones are closed.
   */
  drainMs: number;
  /** After start: how long queue workers claim only while no callback is being acknowledged. */
  warmupMs: number;
  /** Each adapter's settings, by adapter name (what its settings() made of its variables). */
  adapters: Record<string, AdapterSettings<unknown, unknown>>;
}

export class ConfigError extends AppError {
  constructor(readonly problems: string[]) {
    super('invalid_config', `invalid configuration:\n  - ${problems.join('\n  - ')}`, 500, { expose: true });
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env, adapters: readonly AnyAdapter[] = allAdapters): Config {
  const shape: z.ZodRawShape = { ...coreShape };
  for (const a of adapters) Object.assign(shape, a.envShape);
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data as z.infer<z.ZodObject<typeof coreShape>>;
  const problems: string[] = [];
  if (e.KELU_PROCESSES > 1 && !e.DATABASE_URL) {
    problems.push('KELU_PROCESSES: more than one process needs DATABASE_URL (the embedded database belongs to one process)');
  }
  if (e.DATABASE_URL && !e.KELU_MASTER_KEY) {
    problems.push('KELU_MASTER_KEY: required when DATABASE_URL is set (tenant secrets are encrypted with it)');
  }
  // Half a channel is refused rather than accepting unverifiable traffic; each adapter says what half is.
  const settings: Config['adapters'] = {};
  for (const a of adapters) settings[a.name] = a.settings(parsed.data, problems);
  if (problems.length) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV ?? 'development',
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    // Each inbox and outbox worker can hold a connection; acknowledgements need their own.
    databasePoolSize: e.DATABASE_POOL_SIZE ?? Math.max(10, 2 * e.KELU_WORKERS + 8),
    dataDir: e.KELU_DATA_DIR,
    publicUrl: e.KELU_PUBLIC_URL,
    masterKey: e.KELU_MASTER_KEY,
    adminToken: e.KELU_ADMIN_TOKEN,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.KELU_BODY_LIMIT_BYTES,
    workers: e.KELU_WORKERS,
    processes: e.KELU_PROCESSES,
    drainMs: e.KELU_DRAIN_MS,
    warmupMs: e.KELU_WARMUP_MS,
    adapters: settings,
  };
}
