import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { users } from '../../db/schema.js';
import { createTask } from '../tasks.repo.js';
import { scheduleTimer } from '../timers.repo.js';
import { getUser, type User } from '../users.repo.js';
import { comparableDeals, comparableText } from './comparable.js';
import type { StageEntry } from './stage.repo.js';
import type { StageDef, StageModel } from './stage.types.js';

export const STAGE_TODO = 'stage.todo';
export const STAGE_QUESTION = 'stage.question';
export const TODO_DUE_TIMER = 'stage.todo.due';
export const STUCK_TIMER = 'stage.stuck';

/** What entering a stage asks the chat side to say, to CRM users (the bot turns these into messages). */
export type StageEffect =
  | { kind: 'message'; userId: string; title?: string; text: string; url?: string }
  | { kind: 'todo'; userId: string; taskId: string; title: string; dueAt: Date; description: string };

export interface ActionContext {
  tenantId: string;
  model: StageModel;
  stage: StageDef;
  entry: StageEntry;
  /** Who hears about the customer: the owner, else whoever moved it. */
  rep: User | null;
  label: string;
  now: Date;
  /** Where the move came from (a platform name, or 'api'): later messages about it prefer that platform. */
  via?: string;
}

/** Managers of a person: the managers of their region, else every manager. */
export async function managersFor(tx: Tx, tenantId: string, person: User | null): Promise<User[]> {
  const rows = await tx.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.role, 'manager'), eq(users.active, true))).orderBy(users.createdAt);
  const same = person?.region ? rows.filter((m) => m.region === person.region) : [];
  const ids = (same.length ? same : rows).map((m) => m.id);
  const out: User[] = [];
  for (const id of ids) {
    const u = await getUser(tx, tenantId, id);
    if (u) out.push(u);
  }
  return out;
}

/**
 * Runs a stage's actions for one entry, inside the entry's transaction: tasks and their deadline
 * timers are written with it, and the effects are queued with it (deduplicated by entry id), so a
 * crash either keeps all of them or none and a retry repeats none.
 */
export async function runStageActions(tx: Tx, c: ActionContext): Promise<StageEffect[]> {
  const out: StageEffect[] = [];
  for (const a of c.stage.actions ?? []) {
    if (a.kind === 'message') {
      if (c.rep) out.push({ kind: 'message', userId: c.rep.id, ...(a.title ? { title: a.title } : {}), text: `${c.label}：${a.text}`, ...(a.url ? { url: a.url } : {}) });
    } else if (a.kind === 'notifyManager') {
      for (const m of await managersFor(tx, c.tenantId, c.rep)) {
        out.push({ kind: 'message', userId: m.id, text: a.text ?? `${c.rep?.name ?? '同事'}的客户 ${c.label} 进入「${c.stage.name}」阶段。` });
      }
    } else if (a.kind === 'comparableDeals') {
      if (c.rep) out.push({ kind: 'message', userId: c.rep.id, title: '可比成交案例', text: `${c.label}（${c.stage.name}）\n${comparableText(await comparableDeals(tx, c.tenantId, c.entry.customerId))}` });
    } else {
      const assignee = await todoAssignee(tx, c, a.assignee);
      const dueAt = new Date(c.now.getTime() + a.dueMinutes * 60_000);
      const roleName = 'role' in a.assignee ? c.model.roles.find((r) => r.key === (a.assignee as { role: string }).role)?.name : undefined;
      const title = `${a.title}：${c.label}`;
      const task = await createTask(tx, c.tenantId, {
        kind: STAGE_TODO, title, assigneeId: assignee?.id ?? null, customerId: c.entry.customerId, dueAt,
        payload: { entryId: c.entry.id, stage: c.stage.name, label: c.label, ...(c.via ? { via: c.via } : {}), ...(roleName ? { role: roleName } : {}), ...(c.rep ? { repId: c.rep.id } : {}) },
      }, 'stage');
      await scheduleTimer(tx, c.tenantId, { kind: TODO_DUE_TIMER, refId: task.id, fireAt: dueAt, payload: { taskId: task.id } });
      if (assignee) out.push({ kind: 'todo', userId: assignee.id, taskId: task.id, title, dueAt, description: `「${c.stage.name}」阶段${roleName ? `，${roleName}` : ''}` });
    }
  }
  return out;
}

async function todoAssignee(tx: Tx, c: ActionContext, t: { role: string } | { user: string } | { owner: true } | { manager: true }): Promise<User | null> {
  if ('owner' in t) return c.rep;
  if ('user' in t) return getUser(tx, c.tenantId, t.user);
  if ('manager' in t) return (await managersFor(tx, c.tenantId, c.rep))[0] ?? null;
  // A role's people in the order listed; nobody active in it: the rep's manager takes it.
  for (const id of c.model.roles.find((r) => r.key === t.role)?.userIds ?? []) {
    const u = await getUser(tx, c.tenantId, id);
    if (u?.active) return u;
  }
  return (await managersFor(tx, c.tenantId, c.rep))[0] ?? null;
}
