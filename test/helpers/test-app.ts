import { Writable } from 'node:stream';
import type Router from '@koa/router';
import { createLogger, type Logger } from '../../src/lib/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { Database } from '../../src/db/database.js';

/** A logger whose JSON lines are kept for assertions (e.g. that no phone or secret leaks). */
export function captureLogger(level = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { logger: createLogger(level, sink), lines };
}

export async function serve(database: Database, routers: Router[], logger = captureLogger().logger): Promise<RunningServer> {
  return startServer({ database, logger, routers }, 0, '127.0.0.1');
}

/** Response JSON, loosely typed for assertions. */
export async function json(res: Response): Promise<any> {
  return res.json();
}
