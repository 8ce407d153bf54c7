import type Router from '@koa/router';
import type { Database } from '../db/database.js';
import type { Auth } from '../auth/guard.js';
import type { Logger } from '../lib/logger.js';
import { importsRouter } from '../api/imports.routes.js';
import { exportsRouter } from '../api/exports.routes.js';
import { ImportRunner, type RunnerOptions } from '../crm/imports/import.runner.js';

/** Issue 17 parts 1 and 2: spreadsheet imports (and their runner, which resumes jobs after a restart) and exports. */
export function createImports(d: { database: Database; auth: Auth; bodyLimitBytes: number; logger: Logger; runner?: RunnerOptions }): { routers: Router[]; runner: ImportRunner } {
  const runner = new ImportRunner(d.database, d.logger, d.runner);
  return {
    runner,
    routers: [importsRouter({ database: d.database, auth: d.auth, bodyLimitBytes: d.bodyLimitBytes, runner }), exportsRouter({ database: d.database, auth: d.auth })],
  };
}
