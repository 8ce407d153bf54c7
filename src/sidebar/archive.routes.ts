import Router from '@koa/router';
import NodeCache from 'node-cache';
import { z } from 'zod';
import { readJsonBody } from '../lib/body.js';
import { AppError } from '../lib/errors.js';
import { parseWith } from '../api/params.js';
import { presentInteraction } from '../api/present.js';
import { extract } from '../nlp/index.js';
import { archiveFragment, previewFragment, type Direction } from '../crm/archive.service.js';
import { customerHeat, cellMessages, teamHeat, type HeatCell } from '../crm/heatmap.repo.js';
import { viewerOf } from '../api/admin.routes.js';
import { getCustomer } from '../crm/customers.repo.js';
import { FRAGMENT_MAX_CHARS, SIDEBAR_BODY_LIMIT, seenCustomer, sessionOf, sinceWeeks, type SidebarDeps } from './sidebar.context.js';

const fragmentText = z.string().trim().min(1, 'the fragment is empty').max(FRAGMENT_MAX_CHARS, `a fragment is at most ${FRAGMENT_MAX_CHARS} characters`);
const direction = z.enum(['in', 'out']).default('in');
const previewBody = z.object({ text: fragmentText, direction }).strict();
const archiveBody = z.object({ fragments: z.array(z.object({ text: fragmentText, direction }).strict()).min(1).max(20) }).strict();
const weeks = z.coerce.number().int().refine((w) => w === 4 || w === 12, 'weeks is 4 or 12').default(4);
const heatQuery = z.object({ weeks }).strict();
const cellQuery = z.object({ weeks, weekday: z.coerce.number().int().min(1).max(7), hour: z.coerce.number().int().min(0).max(23) }).strict();

/** How long a team heat map is served from memory. */
export const TEAM_CACHE_SECONDS = 60;

/** No message to the customer for this long raises the flag on the heat map. */
export const SILENT_DAYS = 7;

function totals(cells: HeatCell[]) {
  return cells.reduce((t, c) => ({ in: t.in + c.in, out: t.out + c.out }), { in: 0, out: 0 });
}

/**
 * Archiving chat fragments (previewed, then confirmed into interactions) and the weekly heat map:
 * weekday x hour in the tenant's time zone, for this customer or the team.
 */
export function archiveRouter(deps: SidebarDeps): Router {
  const r = new Router({ prefix: '/api/v1/sidebar' });
  const { db } = deps.database;
  const { auth } = deps;
  const read = auth.guard('read');
  const limit = deps.bodyLimitBytes ?? SIDEBAR_BODY_LIMIT;
  const teamCache = new NodeCache({ stdTTL: TEAM_CACHE_SECONDS, useClones: false, checkperiod: 120 });
  const entitiesOf = async (tenantId: string, text: string, ref: Date) => {
    const t = await deps.flow.tenantInfo.get(db, tenantId);
    return extract(text, { ref, timeZone: t.timeZone, catalog: t.catalog });
  };

  r.post('/customers/:id/preview', read, async (ctx) => {
    const b = parseWith(previewBody, await readJsonBody(ctx, limit), 'invalid_body');
    const s = await seenCustomer(db, auth, ctx);
    const e = await entitiesOf(s.p.tenantId, b.text, deps.flow.now());
    ctx.body = { changes: await previewFragment(db, s.p.tenantId, s.customer, e, b.direction as Direction) };
  });

  // All fragments or none: one transaction. The same fragment again is the same interaction.
  r.post('/customers/:id/archive', read, async (ctx) => {
    const b = parseWith(archiveBody, await readJsonBody(ctx, limit), 'invalid_body');
    const s = await seenCustomer(db, auth, ctx);
    const now = deps.flow.now();
    const withEntities = await Promise.all(b.fragments.map(async (f) => ({ ...f, entities: await entitiesOf(s.p.tenantId, f.text, now) })));
    const results = await db.transaction(async (tx) => {
      const out = [];
      for (const f of withEntities) {
        const customer = (await getCustomer(tx, s.p.tenantId, s.customer.id))!;
        out.push(await archiveFragment(tx, s.p.tenantId, { customer, text: f.text, direction: f.direction as Direction, entities: f.entities, user: s.p.user, actor: s.p.actor, now, channel: 'chat' }));
      }
      return out;
    });
    ctx.body = { items: results.map((x) => ({ interactionId: x.interactionId, duplicate: x.duplicate, changes: x.changes, taskIds: x.taskIds })) };
  });

  r.get('/customers/:id/heat', read, async (ctx) => {
    const q = parseWith(heatQuery, ctx.query);
    const s = await seenCustomer(db, auth, ctx);
    const now = deps.flow.now();
    const tz = (await deps.flow.tenantInfo.get(db, s.p.tenantId)).timeZone;
    const since = sinceWeeks(now, q.weeks);
    const heat = await customerHeat(db, s.p.tenantId, s.customer.id, tz, since);
    const silentDays = heat.lastOutAt ? Math.floor((now.getTime() - heat.lastOutAt.getTime()) / 86400_000) : null;
    ctx.body = {
      weeks: q.weeks, timeZone: tz, since: since.toISOString(), cells: heat.cells, totals: totals(heat.cells),
      lastOutAt: heat.lastOutAt?.toISOString() ?? null,
      // Definition: nothing sent to the customer (direction out) in the last SILENT_DAYS days, or ever.
      silent: silentDays === null || silentDays >= SILENT_DAYS, silentDays, silentAfterDays: SILENT_DAYS,
    };
  });

  r.get('/customers/:id/heat/cell', read, async (ctx) => {
    const q = parseWith(cellQuery, ctx.query);
    const s = await seenCustomer(db, auth, ctx);
    const tz = (await deps.flow.tenantInfo.get(db, s.p.tenantId)).timeZone;
    const rows = await cellMessages(db, s.p.tenantId, s.customer.id, tz, sinceWeeks(deps.flow.now(), q.weeks), q.weekday, q.hour);
    ctx.body = { weekday: q.weekday, hour: q.hour, items: rows.map((i) => presentInteraction(i, s.customer.ownerId, s.viewer)) };
  });

  // Managers see their team's (admins the whole tenant's); a rep has only their customers' maps.
  r.get('/team/heat', read, async (ctx) => {
    const q = parseWith(heatQuery, ctx.query);
    const p = sessionOf(auth, ctx);
    if (p.user.role === 'rep') throw new AppError('managers_only', 'the team heat map is for managers', 403);
    const { visibility } = await viewerOf(db, p);
    const tz = (await deps.flow.tenantInfo.get(db, p.tenantId)).timeZone;
    const since = sinceWeeks(deps.flow.now(), q.weeks);
    // A team's weeks are read by every manager's open and change little within a minute: cached that long.
    const key = `${p.tenantId}|${q.weeks}|${visibility.ownerIds?.slice().sort().join(',') ?? '*'}`;
    let cells = teamCache.get<HeatCell[]>(key);
    if (!cells) {
      cells = await teamHeat(db, p.tenantId, visibility.ownerIds, tz, since);
      teamCache.set(key, cells);
    }
    ctx.body = { weeks: q.weeks, timeZone: tz, since: since.toISOString(), cells, totals: totals(cells), cachedForSeconds: TEAM_CACHE_SECONDS };
  });

  return r;
}
