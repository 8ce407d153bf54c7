import { randomUUID } from 'node:crypto';
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { runPrepared, selectList, type Tx } from '../db/database.js';
import { customerIdentities, customers, interactions, leads, tasks, timers } from '../db/schema.js';
import { resolveCustomer, type Profile, type ResolveResult } from './resolution.service.js';
import type { CustomerRow } from './customers.repo.js';
import { LEAD_COLUMNS_SQL, leadAuditSql, leadInsertParams, leadValuesSql, type Lead, type NewLead } from './leads.repo.js';
import { createTask } from './tasks.repo.js';
import { scheduleTimer } from './timers.repo.js';
import { recordAudit } from './audit.repo.js';
import { normalizeIdentity } from './identity.js';
import type { Identity } from './customers.repo.js';
import type { User } from './users.repo.js';

export interface FollowUp {
  title: string;
  dueAt: Date;
  /** Day-grain dates have no clock time; the reminder goes out that morning. */
  allDay: boolean;
}

export interface CaptureInput {
  actor: string;
  now: Date;
  /** The rep who forwarded the message owns the customer and a claimed lead; null = unowned lead for assignment. */
  owner: User | null;
  identities: Identity[];
  profile: Profile;
  products: string[];
  intentLevel: string | null;
  urgencyLevel: string | null;
  sourceChannel: string | null;
  utm?: Record<string, string>;
  priority?: number;
  sourceEventId: string | null;
  interaction: {
    channel: string;
    platform: string | null;
    platformMessageId: string | null;
    text: string;
    occurredAt: Date;
    authorId: string | null;
    entities: Record<string, unknown> | null;
  };
  followUps: FollowUp[];
  timeZone: string;
  /**
   * The task the caller would create right after a capture that archived a new message about a
   * customer with an open lead and no follow-ups (payload { undo }). Given, capture writes it in
   * the same statement as the interaction and returns its id as confirmTaskId.
   */
  confirmTask?: (customer: CustomerRow) => { kind: string; title: string; assigneeId: string | null };
}

/** Exactly what one capture created or changed, so 不是客户 can take back that and only that. */
export interface CaptureUndo {
  customerId: string;
  customerCreated: boolean;
  leadId: string | null;
  interactionId: string | null;
  taskIds: string[];
  addedIdentities: Identity[];
  filledFields: string[];
}

export interface CaptureResult extends ResolveResult {
  lead: Lead;
  leadCreated: boolean;
  tasks: { id: string; title: string; dueAt: Date }[];
  undo: CaptureUndo;
  duplicate: boolean;
  /** Set when input.confirmTask was written by capture itself. */
  confirmTaskId?: string;
}

const REMIND_BEFORE_MS = 30 * 60_000;

// An interaction already archived for this platform message (a redelivery) inserts nothing.
// With no open lead the same statement creates one (and its audit row) from $18...
// The optional confirm task goes in only with a new interaction ($16); its undo names the lead when
// this statement created it.
const INTERACTION_AND_LEAD = `with ins as (
    insert into interactions (id, tenant_id, customer_id, channel, direction, author_id, text, platform, platform_message_id, occurred_at, entities)
    select $11::uuid, $1, $2, $3, 'in', $4, coalesce($5, ''), $6, $7, $8::timestamptz, $9::jsonb where $10::boolean
    on conflict do nothing
    returning id
  ), open as (
    select * from leads where tenant_id = $1 and customer_id = $2 and status not in ('won', 'lost') order by created_at limit 1
  ), made as (
    insert into leads (${LEAD_COLUMNS_SQL}) select ${leadValuesSql(18)} where not exists (select 1 from open)
    returning *
  ), made_audit as (${leadAuditSql('made', 18)}
  ), lead as (
    select * from open union all select * from made
  ), confirm as (
    insert into tasks (id, tenant_id, kind, title, assignee_id, customer_id, lead_id, payload)
    select $12::uuid, $1, $13, $14, $15::uuid, $2, lead.id,
      case when exists (select 1 from made) then jsonb_set($17::jsonb, '{undo,leadId}', to_jsonb(lead.id)) else $17::jsonb end
    from lead where $16::boolean and exists (select 1 from ins)
    returning id
  )
  select (select id from ins) as "interactionId", (select id from confirm) as "confirmTaskId", exists (select 1 from made) as "leadCreated",
    ${selectList(leads, 'l')}
  from (select 1) one left join lead l on true`;
export const REMIND_TIMER = 'task.remind';

export async function capture(tx: Tx, tenantId: string, input: CaptureInput): Promise<CaptureResult> {
  const resolved = await resolveCustomer(tx, tenantId, {
    identities: input.identities,
    profile: input.profile,
    ownerId: input.owner?.id ?? null,
    sourceChannel: input.sourceChannel,
    utm: input.utm,
    actor: input.actor,
    now: input.now,
  });
  const customer = resolved.customer;

  // The interaction insert and the open-lead lookup share one round trip. One open lead per
  // customer: a new message about a known customer adds to it.
  const archive = !!(input.interaction.text || input.interaction.platformMessageId);
  const newInteractionId = randomUUID();
  const confirm = input.confirmTask && input.followUps.length === 0 ? input.confirmTask(customer) : null;
  const confirmId = randomUUID();
  const newLead: NewLead = {
    customerId: customer.id,
    status: input.owner ? 'claimed' : 'new',
    assigneeId: input.owner?.id ?? null,
    sourceEventId: input.sourceEventId,
    sourceChannel: input.sourceChannel,
    utm: input.utm,
    intentLevel: input.intentLevel,
    urgencyLevel: input.urgencyLevel,
    priority: input.priority,
  };
  // What undo will say if no follow-up is created (the only case confirm is written); the
  // statement adds leadId when it creates the lead.
  const confirmUndo: CaptureUndo = {
    customerId: customer.id, customerCreated: resolved.created, leadId: null, interactionId: newInteractionId, taskIds: [],
    addedIdentities: resolved.addedIdentities, filledFields: resolved.filledFields,
  };
  const [found] = await runPrepared<Lead & { interactionId: string | null; confirmTaskId: string | null; leadCreated: boolean }>(tx, 'kelu_capture_interaction_lead', INTERACTION_AND_LEAD, [
    tenantId, customer.id, input.interaction.channel, input.interaction.authorId, input.interaction.text, input.interaction.platform,
    input.interaction.platformMessageId, input.interaction.occurredAt.toISOString(),
    input.interaction.entities === null ? null : JSON.stringify(input.interaction.entities), archive, newInteractionId,
    confirmId, confirm?.kind ?? null, confirm?.title ?? null, confirm?.assigneeId ?? null, !!confirm, JSON.stringify({ undo: confirmUndo }),
    ...leadInsertParams(randomUUID(), newLead, input.actor, input.now),
  ]);
  const interactionId: string | null = found!.interactionId;
  const duplicate = archive && !interactionId;
  const { interactionId: _i, confirmTaskId, leadCreated, ...leadRow } = found!;
  let lead: Lead = leadRow;
  if (!leadCreated) {
    const raise = higher(lead.intentLevel, input.intentLevel) !== lead.intentLevel || higher(lead.urgencyLevel, input.urgencyLevel) !== lead.urgencyLevel;
    if (raise) {
      const [u] = await tx
        .update(leads)
        .set({ intentLevel: higher(lead.intentLevel, input.intentLevel), urgencyLevel: higher(lead.urgencyLevel, input.urgencyLevel), updatedAt: input.now })
        .where(eq(leads.id, lead.id))
        .returning();
      lead = u!;
    }
  }

  const created: CaptureResult['tasks'] = [];
  const assignee = input.owner?.id ?? customer.ownerId ?? lead.assigneeId ?? null;
  if (!duplicate) {
    for (const f of input.followUps) {
      const t = await createTask(tx, tenantId, {
        kind: 'follow_up',
        title: f.title,
        assigneeId: assignee,
        customerId: customer.id,
        leadId: lead.id,
        dueAt: f.dueAt,
        payload: { allDay: f.allDay },
      }, input.actor);
      const remindAt = f.allDay ? morningOf(f.dueAt, input.timeZone) : new Date(f.dueAt.getTime() - REMIND_BEFORE_MS);
      await scheduleTimer(tx, tenantId, { kind: REMIND_TIMER, refId: t.id, fireAt: remindAt < input.now ? input.now : remindAt, payload: { taskId: t.id } });
      created.push({ id: t.id, title: f.title, dueAt: f.dueAt });
    }
  }

  return {
    ...resolved,
    lead,
    leadCreated,
    tasks: created,
    duplicate,
    ...(confirmTaskId ? { confirmTaskId } : {}),
    undo: {
      customerId: customer.id,
      customerCreated: resolved.created,
      leadId: leadCreated ? lead.id : null,
      interactionId,
      taskIds: created.map((t) => t.id),
      addedIdentities: resolved.addedIdentities,
      filledFields: resolved.filledFields,
    },
  };
}

const RANK: Record<string, number> = { low: 0, medium: 1, high: 2 };
function higher(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return (RANK[b] ?? 0) > (RANK[a] ?? 0) ? b : a;
}

/** 09:00 local on the due day (dueAt is that day's 00:00 local). */
function morningOf(dueAt: Date, _timeZone: string): Date {
  return new Date(dueAt.getTime() + 9 * 3600_000);
}

/**
 * 不是客户: removes what one capture created and nothing else. A customer that other messages have
 * since touched is kept; only this message's additions to it are taken back.
 */
export async function undoCapture(tx: Tx, tenantId: string, u: CaptureUndo, actor: string): Promise<{ removedCustomer: boolean }> {
  if (u.taskIds.length) {
    await tx.delete(timers).where(and(eq(timers.tenantId, tenantId), inArray(timers.refId, u.taskIds)));
    await tx.delete(tasks).where(and(eq(tasks.tenantId, tenantId), inArray(tasks.id, u.taskIds)));
  }
  if (u.interactionId) await tx.delete(interactions).where(and(eq(interactions.tenantId, tenantId), eq(interactions.id, u.interactionId)));
  if (u.leadId) {
    await tx.delete(timers).where(and(eq(timers.tenantId, tenantId), sql`${timers.refId} like ${`${u.leadId}:%`}`));
    // Cards about this lead stay as history but can no longer act on it.
    await tx
      .update(tasks)
      .set({ leadId: null, status: sql`case when ${tasks.status} = 'open' and ${tasks.kind} <> 'capture.confirm' then 'cancelled' else ${tasks.status} end` })
      .where(and(eq(tasks.tenantId, tenantId), eq(tasks.leadId, u.leadId)));
    await tx.delete(leads).where(and(eq(leads.tenantId, tenantId), eq(leads.id, u.leadId)));
  }
  let removedCustomer = false;
  if (u.customerCreated) {
    const [{ n }] = (await tx.execute(sql`
      select (select count(*) from interactions where tenant_id = ${tenantId} and customer_id = ${u.customerId})
           + (select count(*) from leads where tenant_id = ${tenantId} and customer_id = ${u.customerId})
           + (select count(*) from tasks where tenant_id = ${tenantId} and customer_id = ${u.customerId} and kind <> 'capture.confirm') as n
    `) as unknown as { rows: { n: number }[] }).rows as [{ n: number }];
    if (Number(n) === 0) {
      await tx.delete(customerIdentities).where(and(eq(customerIdentities.tenantId, tenantId), eq(customerIdentities.customerId, u.customerId)));
      await tx.update(tasks).set({ customerId: null }).where(and(eq(tasks.tenantId, tenantId), eq(tasks.customerId, u.customerId)));
      await tx.delete(customers).where(and(eq(customers.tenantId, tenantId), eq(customers.id, u.customerId)));
      removedCustomer = true;
    }
  }
  if (!removedCustomer) {
    for (const i of u.addedIdentities) {
      await tx.delete(customerIdentities).where(and(eq(customerIdentities.tenantId, tenantId), eq(customerIdentities.customerId, u.customerId), eq(customerIdentities.kind, i.kind), eq(customerIdentities.value, i.value)));
    }
    if (u.filledFields.length) {
      await tx.update(customers).set(Object.fromEntries(u.filledFields.map((f) => [f, null]))).where(and(eq(customers.tenantId, tenantId), eq(customers.id, u.customerId)));
    }
  }
  await recordAudit(tx, tenantId, { actor, action: 'capture.undo', entityType: 'customer', entityId: u.customerId, before: u, after: { removedCustomer } });
  return { removedCustomer };
}

/** The owner acted on the customer: the first time counts as the lead's response. */
export async function markResponded(tx: Tx, tenantId: string, customerId: string, userId: string, at: Date): Promise<void> {
  await tx
    .update(leads)
    .set({ firstResponseAt: at, updatedAt: at })
    .where(and(eq(leads.tenantId, tenantId), eq(leads.customerId, customerId), eq(leads.assigneeId, userId), sql`${leads.firstResponseAt} is null`, notInArray(leads.status, ['won', 'lost'])));
}

/**
 * The rep archived a reply they sent to a customer (a chat fragment forwarded with 回复：…). The
 * customer is the one holding an identity named in the reply, else the one the rep last captured
 * a message about in the past 24 hours. The reply is an outbound interaction, and the first one
 * counts as the lead's response. Returns null when no customer fits.
 */
export async function archiveReply(
  tx: Tx, tenantId: string,
  r: { repId: string; text: string; identities: Identity[]; platform: string | null; platformMessageId: string | null; at: Date },
): Promise<{ customerId: string; duplicate: boolean } | null> {
  const kinds = r.identities.map((i) => i.kind);
  const values = r.identities.map((i) => { try { return normalizeIdentity(i.kind, i.value); } catch { return i.value; } });
  const [hit] = await runPrepared<{ customerId: string }>(tx, 'kelu_reply_customer', `
    select coalesce(
      (select c.id from unnest($2::text[], $3::text[]) as u(kind, value)
         join customer_identities ci on ci.tenant_id = $1 and ci.kind = u.kind and ci.value = u.value
         join customers c on c.id = ci.customer_id and c.merged_into is null limit 1),
      (select i.customer_id from interactions i join customers c on c.id = i.customer_id and c.merged_into is null
       where i.tenant_id = $1 and i.author_id = $4::uuid and i.direction = 'in' and i.occurred_at > $5::timestamptz - interval '24 hours'
       order by i.occurred_at desc limit 1)) as "customerId"`, [tenantId, kinds, values, r.repId, r.at.toISOString()]);
  if (!hit?.customerId) return null;
  const [row] = await tx.insert(interactions).values({
    tenantId, customerId: hit.customerId, channel: 'chat', direction: 'out', authorId: r.repId, text: r.text,
    platform: r.platform, platformMessageId: r.platformMessageId, occurredAt: r.at,
  }).onConflictDoNothing().returning({ id: interactions.id });
  if (row) await markResponded(tx, tenantId, hit.customerId, r.repId, r.at);
  return { customerId: hit.customerId, duplicate: !row };
}
