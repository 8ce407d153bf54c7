import type { Tx } from '../db/database.js';
import type { Entities } from '../nlp/index.js';
import { extract } from '../nlp/index.js';
import type { OutboundMessage } from '../channel/messages.js';
import { compact, managersOf, toUser, type FlowDeps } from './flow.js';
import { assignChoiceCard, captureCard, claimCard, customerLabel, entityFields, managerTodoCard } from './cards.js';
import { capture, type CaptureInput, type CaptureResult, type FollowUp } from '../crm/capture.service.js';
import { assignLead, chooseAssignee, escalate, type LeadFacts } from '../crm/assignment.service.js';
import { createTask } from '../crm/tasks.repo.js';
import { getCustomer, type Identity } from '../crm/customers.repo.js';
import type { User } from '../crm/users.repo.js';
import { getLead, type Lead } from '../crm/leads.repo.js';
import { byQueueOrder } from '../crm/lead-queue.service.js';
import type { TenantInfo } from './tenant-info.js';
import { customerOf } from './customer-of.js';

export const NOTHING_FOUND_TEXT = '这条消息里没有找到客户的姓名、电话或产品，没有建档。它是谁说的？可以补一句“客户：姓名 电话”再发给我。';

export interface CaptureRequest {
  tenantId: string;
  text: string;
  ref: Date;
  owner: User | null;
  sourceChannel: string | null;
  sourceEventId: string | null;
  platform: string | null;
  platformMessageId: string | null;
  /** See CaptureInput.confirmTask. */
  confirmTask?: CaptureInput['confirmTask'];
  /** Fields given explicitly (web forms); they win over what extraction finds. */
  given?: { name?: string; title?: string; phone?: string; email?: string; wechatId?: string; company?: string; region?: string; externalIds?: Identity[] };
  utm?: Record<string, string>;
  actor: string;
}

export interface CaptureOutcome {
  result: CaptureResult | null;
  entities: Entities;
  messages: OutboundMessage[];
  assigneeId: string | null;
}

export function identitiesOf(e: Entities, given?: CaptureRequest['given']): Identity[] {
  const ids: Identity[] = [];
  if (given?.phone) ids.push({ kind: 'phone', value: given.phone });
  if (given?.email) ids.push({ kind: 'email', value: given.email });
  if (given?.wechatId) ids.push({ kind: 'wechat_id', value: given.wechatId });
  ids.push(...(given?.externalIds ?? []));
  ids.push(...e.phones.map((v) => ({ kind: 'phone' as const, value: v })));
  ids.push(...e.emails.map((v) => ({ kind: 'email' as const, value: v })));
  ids.push(...e.wechatIds.map((v) => ({ kind: 'wechat_id' as const, value: v })));
  return ids;
}

function followUpsOf(e: Entities, who: string): FollowUp[] {
  return e.dates.slice(0, 3).map((d) => ({ title: `跟进 ${who}：${d.text}`, dueAt: new Date(d.start), allDay: d.grain === 'day' || d.grain === 'week' || d.grain === 'month' }));
}

export function factsOf(e: Entities, req: { sourceChannel: string | null; given?: { region?: string } }): LeadFacts {
  return { sourceChannel: req.sourceChannel, region: req.given?.region ?? null, products: e.products.map((p) => p.id), intent: e.intent.level };
}

/** Runs extraction and resolution for one message; returns what to tell whom. Inside the caller's transaction. */
export async function captureMessage(tx: Tx, deps: FlowDeps, req: CaptureRequest, info?: TenantInfo): Promise<CaptureOutcome> {
  const tenant = info ?? (await deps.tenantInfo.get(tx, req.tenantId));
  const entities = extract(req.text.slice(0, 20_000), { ref: req.ref, timeZone: tenant.timeZone, catalog: tenant.catalog });
  const identities = identitiesOf(entities, req.given);
  // The customer is extraction's contact, never an addressee (usually the rep); a message whose only
  // person is the addressee still creates the customer, without a name.
  const pick = customerOf(entities, req.text);
  const person = pick.person;
  const name = req.given?.name ?? person?.name ?? null;
  if (!name && identities.length === 0 && entities.products.length === 0 && entities.persons.length === 0) {
    return { result: null, entities, messages: [], assigneeId: null };
  }
  const weight = (req.sourceChannel && tenant.assignment.sourceWeights[req.sourceChannel]) || 1;
  const who = `${name ?? ''}${req.given?.name ? '' : person?.title ?? ''}` || '客户';
  const input: CaptureInput = {
    actor: req.actor,
    now: deps.now(),
    owner: req.owner,
    identities,
    profile: { name, title: req.given?.title ?? (req.given?.name ? null : person?.title ?? null), company: req.given?.company ?? pick.company, region: req.given?.region ?? req.owner?.region ?? null },
    products: entities.products.map((p) => p.id),
    intentLevel: entities.intent.level,
    urgencyLevel: entities.urgency.level,
    sourceChannel: req.sourceChannel,
    utm: req.utm,
    priority: weight * (entities.intent.level === 'high' ? 1.5 : 1),
    sourceEventId: req.sourceEventId,
    interaction: {
      channel: req.sourceChannel ?? 'chat',
      platform: req.platform,
      platformMessageId: req.platformMessageId,
      text: req.text,
      occurredAt: req.ref,
      authorId: req.owner?.id ?? null,
      entities: entities as unknown as Record<string, unknown>,
    },
    followUps: followUpsOf(entities, who),
    timeZone: tenant.timeZone,
    confirmTask: req.confirmTask,
  };
  const result = await capture(tx, req.tenantId, input);
  const messages: OutboundMessage[] = [];
  let assigneeId = result.lead.assigneeId;
  const label = customerLabel(result.customer);
  const fields = entityFields(entities, tenant.timeZone);

  if (result.leadCreated && !req.owner) {
    const routed = await routeLead(tx, deps, req.tenantId, result.lead, label, fields, factsOf(entities, req), tenant);
    messages.push(...routed.messages);
    assigneeId = routed.assigneeId;
  } else if (result.leadCreated && (entities.intent.level === 'high' || entities.urgency.level === 'high')) {
    const reason = entities.urgency.level === 'high' ? `紧急：${entities.urgency.reasons.join('、')}` : `高意向：${entities.intent.keywords.join('、')}`;
    messages.push(...(await managerTodo(tx, deps, req.tenantId, result.lead, label, reason, fields, req.platform ?? undefined)));
  }
  return { result, entities, messages, assigneeId };
}

/** A rep's forwarded message: capture, then answer the rep with the card (or a question). */
export async function captureForRep(tx: Tx, deps: FlowDeps, req: CaptureRequest & { owner: User }, replyTo: (m: OutboundMessage['reply']) => OutboundMessage): Promise<OutboundMessage[]> {
  const confirmTask = (customer: CaptureResult['customer']) => ({ kind: 'capture.confirm', title: `确认客户 ${customerLabel(customer)}`, assigneeId: req.owner.id });
  const out = await captureMessage(tx, deps, { ...req, confirmTask });
  if (!out.result) {
    return [replyTo({ kind: 'text', text: NOTHING_FOUND_TEXT })];
  }
  const r = out.result;
  if (r.duplicate) return out.messages;
  const tenant = await deps.tenantInfo.get(tx, req.tenantId);
  // Usually capture already wrote it (same statement as the interaction).
  const confirm = r.confirmTaskId ? { id: r.confirmTaskId } : await createTask(tx, req.tenantId, {
    ...confirmTask(r.customer),
    customerId: r.customer.id,
    leadId: r.lead.id,
    payload: { undo: r.undo },
  }, req.actor);
  const title = r.created ? `已建客户：${customerLabel(r.customer)}` : `已归档到老客户：${customerLabel(r.customer)}`;
  const notes = compact([
    r.mergedIds.length ? `合并了 ${r.mergedIds.length} 个重复客户` : null,
    r.conflicts.length ? `有 ${r.conflicts.length} 处信息不一致，已保留两份待核对` : null,
    r.tasks.length ? `已建 ${r.tasks.length} 个跟进提醒` : null,
  ]).join('；');
  const card = captureCard(confirm.id, title, entityFields(out.entities, tenant.timeZone), notes || undefined, customerOf(out.entities, req.text).others);
  return [replyTo({ kind: 'card', card }), ...out.messages];
}

/** Unowned lead: pick a rep and send the claim card, or hand it to the managers. */
export async function routeLead(
  tx: Tx, deps: FlowDeps, tenantId: string, lead: Lead, label: string, fields: ReturnType<typeof entityFields>, facts: LeadFacts, tenant: TenantInfo,
): Promise<{ messages: OutboundMessage[]; assigneeId: string | null }> {
  const now = deps.now();
  const choice = await chooseAssignee(tx, tenantId, facts, tenant.assignment, { now, timeZone: tenant.timeZone });
  if (choice.kind === 'rep') {
    const assigned = await assignLead(tx, tenantId, lead, choice.user, tenant.assignment, now, 'assignment', facts);
    return { messages: await claimMessages(tx, deps, tenantId, assigned, choice.user, label, fields, tenant), assigneeId: choice.user.id };
  }
  const escalated = await escalate(tx, tenantId, lead, choice.reason, now);
  return { messages: await managerTodo(tx, deps, tenantId, escalated.lead, label, `无人可分配（${choice.reason}），请经理处理`, fields), assigneeId: null };
}

export async function claimMessages(tx: Tx, deps: FlowDeps, tenantId: string, lead: Lead, rep: User, label: string, fields: ReturnType<typeof entityFields>, tenant: TenantInfo): Promise<OutboundMessage[]> {
  const task = await createTask(tx, tenantId, { kind: 'lead.claim', title: `认领 ${label}`, assigneeId: rep.id, customerId: lead.customerId, leadId: lead.id, payload: { round: lead.reassignCount, label, fields } }, 'assignment');
  return compact([toUser(deps, tenantId, rep, { kind: 'card', card: claimCard(task.id, label, fields, tenant.assignment.claimTimeoutSeconds) })]);
}

/** One todo task, one card per manager; the first action on any card wins. */
export async function managerTodo(tx: Tx, deps: FlowDeps, tenantId: string, lead: Lead, label: string, reason: string, fields: ReturnType<typeof entityFields>, preferredPlatform?: string): Promise<OutboundMessage[]> {
  const managers = await managersOf(tx, tenantId);
  const task = await createTask(tx, tenantId, {
    kind: 'manager.todo',
    title: `跟进 ${label}`,
    customerId: lead.customerId,
    leadId: lead.id,
    payload: { reason, label, fields, managerIds: managers.map((m) => m.id) },
  }, 'assignment');
  return compact(managers.map((m) => toUser(deps, tenantId, m, { kind: 'card', card: { ...managerTodoCard(task.id, label, reason, fields), todo: { subject: `跟进 ${label}`, description: reason } } }, preferredPlatform)));
}

export { assignChoiceCard };

/**
 * Leads handed back to assignment (a rep left with nobody named to take over) go through the rules
 * again, as new leads do: a rep gets the claim card, or the managers a todo. Same transaction.
 */
export async function rerouteLeads(tx: Tx, deps: FlowDeps, tenantId: string, leadIds: string[]): Promise<OutboundMessage[]> {
  const out: OutboundMessage[] = [];
  if (leadIds.length === 0) return out;
  const tenant = await deps.tenantInfo.get(tx, tenantId);
  // In queue order (source weight, then oldest): when reps are scarce the weightier lead gets one first.
  const waiting: Lead[] = [];
  for (const id of leadIds) {
    const lead = await getLead(tx, tenantId, id);
    if (lead && !lead.assigneeId) waiting.push(lead);
  }
  waiting.sort(byQueueOrder);
  for (const lead of waiting) {
    const customer = await getCustomer(tx, tenantId, lead.customerId);
    const facts: LeadFacts = { sourceChannel: lead.sourceChannel, region: customer?.region ?? null, products: [], intent: lead.intentLevel };
    const routed = await routeLead(tx, deps, tenantId, lead, customer ? customerLabel(customer) : '客户', [], facts, tenant);
    out.push(...routed.messages);
  }
  return out;
}
