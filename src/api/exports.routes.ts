import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Database } from '../db/database.js';
import type { Auth } from '../auth/guard.js';
import { leadStatuses } from '../db/schema.js';
import { parseWith, uuidParam } from './params.js';
import { leadView, viewerOf } from './admin.routes.js';
import { presentCustomer, presentInteraction } from './present.js';
import { customersVisible, leadsVisible } from '../crm/visibility.js';
import { csvExport, xlsxExport, type ExportColumn, type Watermark } from '../lib/sheet-export.js';
import { CUSTOMER_COLUMNS, INTERACTION_COLUMNS, LEAD_COLUMNS, customKeys, customerPages, interactionPages, leadPages } from '../crm/imports/export.service.js';

export interface ExportRouteDeps {
  database: Database;
  auth: Auth;
}

const format = { format: z.enum(['xlsx', 'csv']).default('xlsx') };
const customersQuery = z.object({
  q: z.string().trim().min(1).max(100).optional(), owner: uuidParam.optional(), tag: z.string().trim().min(1).max(50).optional(),
  stage: z.string().trim().min(1).max(50).optional(), ...format,
}).strict();
const leadsQuery = z.object({ status: z.enum(leadStatuses).optional(), assignee: uuidParam.optional(), ...format }).strict();
const interactionsQuery = z.object({ customer: uuidParam.optional(), since: z.coerce.date().optional(), until: z.coerce.date().optional(), ...format }).strict();

function send(ctx: Context, name: string, fmt: 'xlsx' | 'csv', columns: ExportColumn[], rows: AsyncIterable<unknown[]>, w: Watermark) {
  ctx.set('Content-Disposition', `attachment; filename="${name}-${w.generatedAt.toISOString().slice(0, 10)}.${fmt}"`);
  ctx.set('Cache-Control', 'no-store');
  ctx.type = fmt === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  ctx.body = fmt === 'csv' ? csvExport(columns, rows, w) : xlsxExport(columns, rows, w);
}

/**
 * Customers, leads and interactions as .xlsx or .csv: the list APIs' filters and visibility, the
 * API's presenter (so the same masking), and a watermark naming who, when, which filters and what
 * each column means.
 */
export function exportsRouter(deps: ExportRouteDeps): Router {
  const r = new Router({ prefix: '/api/v1/export' });
  const { db } = deps.database;
  const read = deps.auth.guard('read');
  const by = (ctx: Context) => {
    const p = deps.auth.principal(ctx);
    return p.user ? `${p.user.name}（${p.actor}，${p.user.role}）` : p.actor;
  };

  r.get('/customers', read, async (ctx) => {
    const q = parseWith(customersQuery, ctx.query);
    const p = deps.auth.principal(ctx);
    const { viewer, visibility } = await viewerOf(db, p);
    const keys = await customKeys(db, p.tenantId);
    const columns = [...CUSTOMER_COLUMNS, ...keys.map((k) => ({ header: k, definition: '自定义字段' }))];
    const filter = { q: q.q, ownerId: q.owner, tag: q.tag, stage: q.stage, visible: customersVisible(db, p.tenantId, visibility) };
    async function* rows() {
      for await (const page of customerPages(db, p.tenantId, filter)) {
        for (const c of page) {
          const v = presentCustomer(c, viewer);
          const of = (k: string) => v.identities.filter((i) => i.kind === k).map((i) => i.value).join('|');
          yield [v.id, v.name, v.company, v.title, c.region, of('phone'), of('email'), of('wechat_id'), v.tags.join('|'), v.ownerId, v.stage, v.createdAt,
            ...keys.map((k) => v.customFields[k] ?? '')];
        }
      }
    }
    send(ctx, 'customers', q.format, columns, rows(), { title: '客户', generatedAt: new Date(), by: by(ctx), filters: { q: q.q, owner: q.owner, tag: q.tag, stage: q.stage } });
  });

  r.get('/leads', read, async (ctx) => {
    const q = parseWith(leadsQuery, ctx.query);
    const p = deps.auth.principal(ctx);
    const { visibility } = await viewerOf(db, p);
    async function* rows() {
      for await (const page of leadPages(db, p.tenantId, { status: q.status, assigneeId: q.assignee, visible: leadsVisible(visibility) })) {
        for (const l of page) {
          const v = leadView(l);
          yield [v.id, v.customerId, v.status, v.assigneeId, v.sourceChannel, v.intentLevel, v.urgencyLevel, v.responseTimeSeconds, v.createdAt];
        }
      }
    }
    send(ctx, 'leads', q.format, LEAD_COLUMNS, rows(), { title: '线索', generatedAt: new Date(), by: by(ctx), filters: { status: q.status, assignee: q.assignee } });
  });

  r.get('/interactions', read, async (ctx) => {
    const q = parseWith(interactionsQuery, ctx.query);
    const p = deps.auth.principal(ctx);
    const { viewer, visibility } = await viewerOf(db, p);
    async function* rows() {
      for await (const page of interactionPages(db, p.tenantId, { customerId: q.customer, since: q.since, until: q.until, visible: customersVisible(db, p.tenantId, visibility) })) {
        for (const { i, ownerId } of page) {
          const v = presentInteraction(i, ownerId, viewer);
          yield [v.id, i.customerId, v.direction, v.channel, v.text, v.occurredAt];
        }
      }
    }
    send(ctx, 'interactions', q.format, INTERACTION_COLUMNS, rows(), {
      title: '跟进记录', generatedAt: new Date(), by: by(ctx), filters: { customer: q.customer, since: q.since?.toISOString(), until: q.until?.toISOString() },
    });
  });

  return r;
}
