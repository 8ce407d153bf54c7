import type Router from '@koa/router';
import type { Database } from '../db/database.js';
import type { Auth } from '../auth/guard.js';
import type { FlowDeps } from '../bot/flow.js';
import type { Logger } from '../lib/logger.js';
import { insightRouter } from '../api/insight.routes.js';
import { queueRouter } from '../api/queue.routes.js';
import { automationRouter } from '../api/automation.routes.js';
import { dashboardRouter } from '../dashboard/dashboard.routes.js';
import { scheduleAllTenants } from '../crm/insight/schedule.js';
import { startHeatFold } from '../crm/insight/heat-fold.js';

export interface InsightDeps {
  database: Database;
  auth: Auth;
  bodyLimitBytes: number;
  flow: FlowDeps;
  afterCommit: () => void;
}

/** Issue 16's routes: metrics and exports, the unassigned queue, automation rules, the dashboard page. */
export function insightRouters(d: InsightDeps): Router[] {
  const now = d.flow.now;
  return [
    insightRouter({ database: d.database, auth: d.auth, bodyLimitBytes: d.bodyLimitBytes, now }),
    queueRouter({ database: d.database, auth: d.auth, flow: d.flow, afterCommit: d.afterCommit }),
    dashboardRouter({ database: d.database, auth: d.auth }),
    automationRouter({ database: d.database, auth: d.auth, bodyLimitBytes: d.bodyLimitBytes, now }),
  ];
}

/**
 * At start: every tenant's insight timer chains (rule sweeps, daily checks, weekly reports) exist, and
 * the heat rows' deltas are folded in every `heatFoldMs` until stopped.
 */
export function startInsight(database: Database, now: Date, logger: Logger, heatFoldMs = 2000): { stop(): Promise<void> } {
  scheduleAllTenants(database.db, now).catch((err: unknown) => logger.error({ err: (err as Error)?.message }, 'insight timers not scheduled'));
  return startHeatFold(database.db, logger, heatFoldMs);
}
