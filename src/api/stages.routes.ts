import Router from '@koa/router';
import { z } from 'zod';
import type { Context } from 'koa';
import type { Database, Tx } from '../db/database.js';
import { AppError, forbidden, notFound } from '../lib/errors.js';
import { readJsonBody } from '../lib/body.js';
import { parseWith, pageQuery, uuidParam } from './params.js';
import { allows, type Auth, type Principal } from '../auth/guard.js';
import { getUser } from '../crm/users.repo.js';
import { getCustomer } from '../crm/customers.repo.js';
import { canSeeCustomer, visibilityOf } from '../crm/visibility.js';
import type { FlowDeps } from '../bot/flow.js';
import { queueMoved } from '../bot/stages.flow.js';
import { validateStageModel } from '../crm/stages/model.validate.js';
import { latestModel, listEntries, modelVersion, saveModel } from '../crm/stages/stage.repo.js';
import { answerQuestion, moveStage } from '../crm/stages/stage.service.js';
import { presentAnswer, presentEntry, presentStage, stageView } from '../crm/stages/stage.view.js';
import { funnel } from '../crm/stages/funnel.service.js';
import { auditSample } from '../crm/stages/stage.audit.js';
import type { Actor } from '../crm/stages/stage.types.js';
import { recordAudit } from '../crm/audit.repo.js';

export interface StagesRouteDeps {
  database: Database;
  auth: Auth;
  bodyLimitBytes: number;
  flow: FlowDeps;
  afterCommit: () => void;
}

const answerBody = z.object({ question: z.string().min(1).max(64), values: z.array(z.string().min(1).max(64)).min(1).max(20) }).strict();
const moveBody = z.object({
  stage: z.string().min(1).max(64),
  reason: z.string().trim().min(1).max(500).optional(),
  deal: z.object({
    amount: z.number().min(0).max(1e12).optional(),
    products: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    paymentTerms: z.string().trim().min(1).max(200).optional(),
  }).strict().optional(),
}).strict();
const funnelQuery = z.object({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() }).strict();
const auditQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), seed: z.string().trim().min(1).max(64).default('kelu') }).strict();

/** Who is acting: a signed-in person, or a key/operator (for the whole tenant, only with admin). */
function actorOf(p: Principal, write: boolean): Actor {
  if (p.user) return { userId: p.user.id, actor: `user:${p.user.id}`, name: p.user.name };
  if (write && !allows(p, 'admin')) throw new AppError('insufficient_scope', 'answering with a key needs the admin scope', 403);
  return { userId: null, actor: p.actor, name: p.via === 'operator' ? '管理员' : 'API' };
}

export function stagesRouter(deps: StagesRouteDeps): Router {
  const r = new Router({ prefix: '/api/v1' });
  const { db } = deps.database;
  const { auth } = deps;
  const read = auth.guard('read');
  const admin = auth.guard('admin');

  const visibleCustomer = async (tx: Tx, ctx: Context): Promise<{ id: string; p: Principal }> => {
    const id = parseWith(uuidParam, ctx.params.id, 'invalid_id');
    const p = auth.principal(ctx);
    if (!(await canSeeCustomer(tx, p.tenantId, await visibilityOf(tx, p.tenantId, p.user), id))) throw notFound('customer');
    return { id, p };
  };
  const teamOf = async (p: Principal) => (await visibilityOf(db, p.tenantId, p.user)).ownerIds;

  r.get('/stages/model', read, async (ctx) => {
    const v = await latestModel(db, auth.principal(ctx).tenantId);
    ctx.body = { version: v.version, ...v.model };
  });

  r.get('/stages/model/versions/:version', read, async (ctx) => {
    const n = parseWith(z.coerce.number().int().min(0).max(1_000_000), ctx.params.version, 'invalid_version');
    const v = await modelVersion(db, auth.principal(ctx).tenantId, n);
    if (!v) throw notFound('stage model version');
    ctx.body = { version: v.version, ...v.model };
  });

  r.put('/stages/model', admin, async (ctx) => {
    const model = validateStageModel(await readJsonBody(ctx, deps.bodyLimitBytes));
    const { tenantId, actor } = auth.principal(ctx);
    const ids = new Set([...model.roles.flatMap((x) => x.userIds), ...model.stages.flatMap((s) => (s.actions ?? []).flatMap((a) => (a.kind === 'todo' && 'user' in a.assignee ? [a.assignee.user] : [])))]);
    for (const id of ids) if (!(await getUser(db, tenantId, id))) throw new AppError('stage_model_unknown_user', `the model names user ${id}, who is not in this tenant`, 400);
    const version = await db.transaction(async (tx) => {
      const v = await saveModel(tx, tenantId, model, actor);
      await recordAudit(tx, tenantId, { actor, action: 'stage_model.save', entityType: 'stage_model', entityId: String(v) });
      return v;
    });
    ctx.status = 201;
    ctx.body = { version, ...model };
  });

  r.get('/customers/:id/stage', read, async (ctx) => {
    const { id, p } = await visibleCustomer(db, ctx);
    ctx.body = await stageView(db, p.tenantId, id);
  });

  r.post('/customers/:id/answers', read, async (ctx) => {
    const body = parseWith(answerBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const out = await db.transaction(async (tx) => {
      const { id, p } = await visibleCustomer(tx, ctx);
      const o = await answerQuestion(tx, p.tenantId, id, { question: body.question, values: body.values, by: actorOf(p, true), via: 'api', now: deps.flow.now() });
      if (!o.ok) {
        const a = presentAnswer(o.answer);
        throw new AppError('already_answered', `已由${a.by.name}回答：${a.labels.join('、')}`, 409, { details: { answer: a } });
      }
      await queueMoved(tx, deps.flow, p.tenantId, o.moved);
      const view = await stageView(tx, p.tenantId, id);
      return { stage: view.stage, changed: !!o.moved, rule: o.rule, blocked: o.blocked, answer: presentAnswer(o.answer), questions: view.questions };
    });
    deps.afterCommit();
    ctx.body = out;
  });

  // A hand move: back, forward, or to won/lost (with a reason and, for won, the deal).
  r.post('/customers/:id/stage', read, async (ctx) => {
    const body = parseWith(moveBody, await readJsonBody(ctx, deps.bodyLimitBytes), 'invalid_body');
    const out = await db.transaction(async (tx) => {
      const { id, p } = await visibleCustomer(tx, ctx);
      if (p.user?.role === 'rep') {
        if ((await getCustomer(tx, p.tenantId, id))?.ownerId !== p.user.id) throw forbidden('only the owner or a manager moves this customer');
      }
      const moved = await moveStage(tx, p.tenantId, id, { stage: body.stage, reason: body.reason, details: body.deal ?? {}, by: actorOf(p, true), now: deps.flow.now() });
      await queueMoved(tx, deps.flow, p.tenantId, moved);
      return { stage: presentStage(moved?.entry ?? null), changed: !!moved };
    });
    deps.afterCommit();
    ctx.body = out.changed ? out : { ...out, stage: (await stageView(db, auth.principal(ctx).tenantId, ctx.params.id!)).stage };
  });

  r.get('/customers/:id/stages', read, async (ctx) => {
    const q = parseWith(z.object(pageQuery).strict(), ctx.query);
    const { id, p } = await visibleCustomer(db, ctx);
    const page = await listEntries(db, p.tenantId, id, q);
    ctx.body = { items: page.items.map(presentEntry), nextCursor: page.nextCursor };
  });

  r.get('/stages/funnel', read, async (ctx) => {
    const q = parseWith(funnelQuery, ctx.query);
    const p = auth.principal(ctx);
    ctx.body = await funnel(db, p.tenantId, { from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, ownerIds: await teamOf(p) });
  });

  r.get('/stages/audit', read, async (ctx) => {
    const q = parseWith(auditQuery, ctx.query);
    const p = auth.principal(ctx);
    if (p.user?.role === 'rep') throw forbidden('the stage audit is for managers');
    ctx.body = { items: await auditSample(db, p.tenantId, { limit: q.limit, seed: q.seed, ownerIds: await teamOf(p) }) };
  });

  return r;
}
