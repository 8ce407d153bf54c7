import Router from '@koa/router';
import { z } from 'zod';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { readJsonBody } from '../lib/body.js';
import { AppError, badRequest, notFound } from '../lib/errors.js';
import { parseWith, uuidParam } from '../api/params.js';
import { interactions } from '../db/schema.js';
import type { Customer } from '../crm/customers.repo.js';
import type { Tx } from '../db/database.js';
import { createQuickReply, deleteQuickReply, fillReply, getQuickReply, listQuickReplies, type QuickReply, type ReplyVars } from '../crm/quick-replies.repo.js';
import { addInteraction } from '../crm/interactions.repo.js';
import { markResponded } from '../crm/capture.service.js';
import { SIDEBAR_SOURCE } from '../crm/archive.service.js';
import { recordAudit } from '../crm/audit.repo.js';
import { enqueueOutbound } from '../queue/outbox.js';
import { SIDEBAR_BODY_LIMIT, seenCustomer, sessionOf, type SidebarDeps } from './sidebar.context.js';

const replyBody = z.object({ title: z.string().trim().min(1).max(30), body: z.string().trim().min(1).max(1000), position: z.number().int().min(0).max(1000).optional() }).strict();
const sendBody = z.object({
  text: z.string().trim().min(1).max(2000),
  replyId: uuidParam.optional(),
  /** How the page put it in the chat (sdk, copy), or asks the server to post it (robot). */
  via: z.enum(['sdk', 'copy', 'robot']),
  platform: z.string().regex(/^[a-z][a-z0-9_-]{1,31}$/).optional(),
  conversationId: z.string().trim().min(1).max(200).optional(),
  /** One per tap: a retried request is the same send. */
  key: uuidParam,
}).strict();

/** {客户称呼} and {产品} for this customer: name and title, and the product last mentioned with them. */
async function varsOf(tx: Tx, tenantId: string, c: Customer): Promise<ReplyVars> {
  const recent = await tx.select({ entities: interactions.entities }).from(interactions)
    .where(and(eq(interactions.tenantId, tenantId), eq(interactions.customerId, c.id), isNotNull(interactions.entities)))
    .orderBy(desc(interactions.occurredAt)).limit(20);
  let product: string | undefined;
  for (const r of recent) {
    const list = (r.entities as { products?: { name?: string }[] } | null)?.products;
    if (list?.length && list[0]?.name) { product = list[0].name; break; }
  }
  const salutation = c.name ? `${c.name}${c.title ?? ''}` : '您';
  return { salutation, product: product ?? '我们的产品' };
}

const view = (r: QuickReply, vars?: ReplyVars) => ({ id: r.id, title: r.title, body: r.body, position: r.position, ...(vars ? { text: fillReply(r.body, vars) } : {}) });

/** Quick replies (话术): the tenant's library, filled per customer, and a send recorded as an outbound interaction. */
export function repliesRouter(deps: SidebarDeps): Router {
  const r = new Router({ prefix: '/api/v1/sidebar' });
  const { db } = deps.database;
  const { auth } = deps;
  const read = auth.guard('read');
  const limit = deps.bodyLimitBytes ?? SIDEBAR_BODY_LIMIT;
  const byName = new Map(deps.platforms.map((p) => [p.platform, p]));

  r.get('/replies', read, async (ctx) => {
    const p = sessionOf(auth, ctx);
    ctx.body = { items: (await listQuickReplies(db, p.tenantId)).map((x) => view(x)) };
  });

  r.get('/customers/:id/replies', read, async (ctx) => {
    const s = await seenCustomer(db, auth, ctx);
    const [list, vars] = await Promise.all([listQuickReplies(db, s.p.tenantId), varsOf(db, s.p.tenantId, s.customer)]);
    ctx.body = { vars, items: list.map((x) => view(x, vars)) };
  });

  r.post('/replies', read, async (ctx) => {
    const b = parseWith(replyBody, await readJsonBody(ctx, limit), 'invalid_body');
    const p = sessionOf(auth, ctx);
    if (p.user.role === 'rep') throw new AppError('managers_only', 'managers and admins keep the quick replies', 403);
    ctx.status = 201;
    ctx.body = view(await createQuickReply(db, p.tenantId, b, p.actor));
  });

  r.delete('/replies/:replyId', read, async (ctx) => {
    const id = parseWith(uuidParam, ctx.params.replyId, 'invalid_id');
    const p = sessionOf(auth, ctx);
    if (p.user.role === 'rep') throw new AppError('managers_only', 'managers and admins keep the quick replies', 403);
    if (!(await deleteQuickReply(db, p.tenantId, id, p.actor))) throw notFound('quick reply');
    ctx.status = 204;
  });

  // The rep sent (or copied) a reply into the chat, or asks the app's robot to post it in the group.
  r.post('/customers/:id/sent', read, async (ctx) => {
    const b = parseWith(sendBody, await readJsonBody(ctx, limit), 'invalid_body');
    const s = await seenCustomer(db, auth, ctx);
    if (b.replyId && !(await getQuickReply(db, s.p.tenantId, b.replyId))) throw notFound('quick reply');
    const pf = b.platform ? byName.get(b.platform) : undefined;
    if (b.via === 'robot') {
      if (!pf || !b.conversationId) throw badRequest('robot_needs_group', 'a robot send names the platform and the group');
      if ((await pf.bridge.send(s.p.tenantId)) !== 'robot') throw new AppError('robot_not_configured', `this company has no ${pf.label} app that may post to groups`, 409);
    }
    const now = deps.flow.now();
    const out = await db.transaction(async (tx) => {
      const { row, created } = await addInteraction(tx, s.p.tenantId, {
        customerId: s.customer.id, channel: 'chat', direction: 'out', authorId: s.p.user.id, text: b.text,
        platform: SIDEBAR_SOURCE, platformMessageId: `send:${b.key}`, occurredAt: now, entities: null,
      });
      if (!created) return { id: row.id, duplicate: true };
      await markResponded(tx, s.p.tenantId, s.customer.id, s.p.user.id, now);
      if (b.via === 'robot') {
        await enqueueOutbound(tx, { platform: pf!.platform, tenantId: s.p.tenantId, to: { conversationId: b.conversationId, conversationType: 'group' }, reply: { kind: 'text', text: b.text } }, `sidebar:send:${b.key}`);
      }
      await recordAudit(tx, s.p.tenantId, { actor: s.p.actor, action: 'reply.send', entityType: 'customer', entityId: s.customer.id, after: { interactionId: row.id, via: b.via, replyId: b.replyId ?? null } });
      return { id: row.id, duplicate: false };
    });
    if (b.via === 'robot' && !out.duplicate) deps.afterCommit();
    ctx.status = out.duplicate ? 200 : 201;
    ctx.body = { interactionId: out.id, duplicate: out.duplicate, via: b.via };
  });

  return r;
}
