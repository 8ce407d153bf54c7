import type Router from '@koa/router';
import type { Database } from '../db/database.js';
import type { Auth } from '../auth/guard.js';
import type { FlowDeps } from '../bot/flow.js';
import type { Logger } from '../lib/logger.js';
import type { SecretBox } from '../lib/secret-box.js';
import type { RateLimiter } from '../auth/rate-limit.js';
import { trackingRouter, type TrackingLimits } from '../api/tracking.routes.js';
import { intakeRouter } from '../api/intake.routes.js';
import { marketingPagesRouter } from '../admin/marketing.routes.js';

export interface TrackingDeps {
  database: Database;
  auth: Auth;
  box: SecretBox;
  bodyLimitBytes: number;
  limiter: RateLimiter;
  trackingLimits?: Partial<TrackingLimits>;
  flow: FlowDeps;
  logger: Logger;
  publicUrl?: string | null;
  afterCommit: () => void;
}

/** Issue 17's routes: tracked links and the behaviour script, lead intake by mapping, and their admin page. */
export function trackingRouters(d: TrackingDeps): Router[] {
  return [
    trackingRouter({ database: d.database, auth: d.auth, bodyLimitBytes: d.bodyLimitBytes, limiter: d.limiter, limits: d.trackingLimits, publicUrl: d.publicUrl, now: d.flow.now }),
    intakeRouter({ database: d.database, auth: d.auth, box: d.box, bodyLimitBytes: d.bodyLimitBytes, limiter: d.limiter, flow: d.flow, logger: d.logger, publicUrl: d.publicUrl, afterCommit: d.afterCommit }),
    marketingPagesRouter({ database: d.database, auth: d.auth }),
  ];
}
