import Router from '@koa/router';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { Auth } from '../auth/guard.js';
import type { FlowDeps } from '../bot/flow.js';
import { parseWith } from './params.js';
import { drainQueue, listQueue } from '../crm/lead-queue.service.js';
import { leadView } from './admin.routes.js';
import { managersOnly } from './insight.routes.js';
import { claimMessages } from '../bot/leads.flow.js';
import { getCustomer } from '../crm/customers.repo.js';
import { customerLabel } from '../bot/cards.js';
import { enqueueOutbound } from '../queue/outbox.js';

export interface QueueRouteDeps {
  database: Database;
  auth: Auth;
  flow: FlowDeps;
  afterCommit: () => void;
}

/** The unassigned queue, in source-weight order, and a manager's "assign what can be assigned now". */
export function queueRouter(deps: QueueRouteDeps): Router {
  const r = new Router({ prefix: '/api/v1' });
  const { db } = deps.database;
  const read = deps.auth.guard('read');

  r.get('/leads/queue', read, async (ctx) => {
    const p = deps.auth.principal(ctx);
    managersOnly(p);
    const q = parseWith(z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict(), ctx.query);
    ctx.body = { items: (await listQueue(db, p.tenantId, q.limit)).map((l) => ({ ...leadView(l), priority: l.priority })) };
  });

  r.post('/leads/queue/assign', read, async (ctx) => {
    const p = deps.auth.principal(ctx);
    managersOnly(p);
    const assigned = await db.transaction(async (tx) => {
      const tenant = await deps.flow.tenantInfo.get(tx, p.tenantId);
      const done = await drainQueue(tx, p.tenantId, tenant.assignment, deps.flow.now(), tenant.timeZone);
      const batch = randomBytes(6).toString('hex');
      for (const a of done) {
        const c = await getCustomer(tx, p.tenantId, a.lead.customerId);
        const messages = await claimMessages(tx, deps.flow, p.tenantId, a.lead, a.user, c ? customerLabel(c) : '客户', [], tenant);
        let i = 0;
        for (const m of messages) await enqueueOutbound(tx, m, `queue:${a.lead.id}:${batch}:${i++}`);
      }
      return done;
    });
    deps.afterCommit();
    ctx.body = { assigned: assigned.map((a) => ({ leadId: a.lead.id, assigneeId: a.user.id, priority: a.lead.priority })) };
  });

  return r;
}
