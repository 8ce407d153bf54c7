import { createHash } from 'node:crypto';
import { and, eq, inArray, notInArray } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { customerIdentities, customers, leads, tasks, type FieldConflict, type IdentityKind } from '../db/schema.js';
import type { Entities } from '../nlp/types.js';
import type { Customer } from './customers.repo.js';
import { normalizeIdentity } from './identity.js';
import { addInteraction } from './interactions.repo.js';
import { markResponded } from './capture.service.js';
import { addFollowUp } from './followups.service.js';
import { recordAudit } from './audit.repo.js';

/** Interactions archived from the sidebar carry this in `platform`; with the fragment's hash it makes a repeat a no-op. */
export const SIDEBAR_SOURCE = 'sidebar';

export type Direction = 'in' | 'out';

/** What archiving a fragment would change on the customer (the preview), and then did. */
export interface FragmentChanges {
  identities: { kind: IdentityKind; value: string; taken: boolean }[];
  fields: { field: 'name' | 'title' | 'company'; value: string; action: 'fill' | 'conflict' }[];
  tasks: { title: string; dueAt: string; allDay: boolean; text: string }[];
  budget: string | null;
  products: string[];
  intent: string;
}

/** Same text (whitespace and width aside), same direction, same customer: the same fragment. */
export function fragmentKey(customerId: string, direction: Direction, text: string): string {
  const norm = text.normalize('NFKC').replace(/\s+/g, ' ').trim();
  return `frag:${createHash('sha256').update(`${customerId}\u0000${direction}\u0000${norm}`).digest('hex').slice(0, 40)}`;
}

function identitiesIn(e: Entities): { kind: IdentityKind; value: string }[] {
  const out: { kind: IdentityKind; value: string }[] = [];
  const add = (kind: IdentityKind, raw: string) => {
    try {
      const value = normalizeIdentity(kind, raw);
      if (!out.some((i) => i.kind === kind && i.value === value)) out.push({ kind, value });
    } catch { /* not an identity we can store */ }
  };
  e.phones.forEach((p) => add('phone', p));
  e.emails.forEach((m) => add('email', m));
  e.wechatIds.forEach((w) => add('wechat_id', w));
  return out;
}

/** The changes a fragment implies for this customer. Only the customer's words (in) describe them. */
export async function previewFragment(tx: Tx, tenantId: string, c: Customer, e: Entities, direction: Direction): Promise<FragmentChanges> {
  // A phone in the rep's own reply is usually the rep's: only the customer's words add identities.
  const idents = direction === 'in' ? identitiesIn(e).filter((i) => !c.identities.some((h) => h.kind === i.kind && h.value === i.value)) : [];
  const held = idents.length
    ? await tx.select({ kind: customerIdentities.kind, value: customerIdentities.value }).from(customerIdentities)
      .where(and(eq(customerIdentities.tenantId, tenantId), inArray(customerIdentities.value, idents.map((i) => i.value))))
      .then((rows) => rows.filter((r) => idents.some((i) => i.kind === r.kind && i.value === r.value)))
    : [];
  const due = new Set((await tx.select({ dueAt: tasks.dueAt }).from(tasks)
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.customerId, c.id), eq(tasks.kind, 'follow_up'), eq(tasks.status, 'open'))))
    .map((t) => t.dueAt?.toISOString()));
  const fields: FragmentChanges['fields'] = [];
  const person = direction === 'in' && e.contact !== null ? e.persons[e.contact] : undefined;
  const proposed: Record<'name' | 'title' | 'company', string | null | undefined> = {
    name: person?.name, title: person?.title, company: direction === 'in' ? e.organizations[0]?.name : undefined,
  };
  for (const f of ['name', 'title', 'company'] as const) {
    const v = proposed[f];
    if (!v || c.manualFields.includes(f) || c[f] === v) continue;
    fields.push({ field: f, value: v, action: c[f] ? 'conflict' : 'fill' });
  }
  return {
    identities: idents.map((i) => ({ ...i, taken: held.some((h) => h.kind === i.kind && h.value === i.value) })),
    fields,
    // A date already on an open follow-up (the customer's 下周三下午3点 and the rep's 下周三下午三点) is one task.
    tasks: e.dates.slice(0, 3)
      .map((d) => ({ title: `跟进：${d.text}`, dueAt: new Date(d.start).toISOString(), allDay: ['day', 'week', 'month'].includes(d.grain), text: d.text }))
      .filter((t, i, all) => !due.has(t.dueAt) && all.findIndex((x) => x.dueAt === t.dueAt) === i),
    budget: e.budget?.text ?? null,
    products: e.products.map((p) => p.name),
    intent: e.intent.level,
  };
}

export interface ArchiveResult {
  interactionId: string;
  duplicate: boolean;
  changes: FragmentChanges;
  taskIds: string[];
}

/**
 * Archives one fragment on this customer: the interaction (once per fragment), new identities no
 * other customer holds, empty fields filled (differing ones kept as conflicts, manual ones never
 * touched), the budget, and a follow-up per date. A reply of the rep's counts as the first response.
 */
export async function archiveFragment(
  tx: Tx, tenantId: string,
  a: { customer: Customer; text: string; direction: Direction; entities: Entities; user: { id: string }; actor: string; now: Date; channel: string },
): Promise<ArchiveResult> {
  const c = a.customer;
  const { row, created } = await addInteraction(tx, tenantId, {
    customerId: c.id, channel: a.channel, direction: a.direction, authorId: a.user.id, text: a.text,
    platform: SIDEBAR_SOURCE, platformMessageId: fragmentKey(c.id, a.direction, a.text), occurredAt: a.now,
    entities: a.entities as unknown as Record<string, unknown>,
  });
  const changes = await previewFragment(tx, tenantId, c, a.entities, a.direction);
  if (!created) return { interactionId: row.id, duplicate: true, changes, taskIds: [] };

  for (const i of changes.identities.filter((x) => !x.taken)) {
    await tx.insert(customerIdentities).values({ tenantId, customerId: c.id, kind: i.kind, value: i.value }).onConflictDoNothing();
  }
  const patch: Record<string, unknown> = {};
  const conflicts: FieldConflict[] = [...c.conflicts];
  for (const f of changes.fields) {
    if (f.action === 'fill') patch[f.field] = f.value;
    else {
      const open = conflicts.find((x) => x.field === f.field);
      if (!open) conflicts.push({ field: f.field, values: [c[f.field]!, f.value], at: a.now.toISOString() });
      else if (!open.values.includes(f.value)) open.values.push(f.value);
    }
  }
  if (changes.budget && a.direction === 'in' && !c.manualFields.includes('budget')) patch.customFields = { ...c.customFields, budget: changes.budget };
  if (Object.keys(patch).length || conflicts.length !== c.conflicts.length) {
    await tx.update(customers).set({ ...patch, conflicts, updatedAt: a.now }).where(and(eq(customers.tenantId, tenantId), eq(customers.id, c.id)));
  }
  const [lead] = await tx.select({ id: leads.id }).from(leads)
    .where(and(eq(leads.tenantId, tenantId), eq(leads.customerId, c.id), notInArray(leads.status, ['won', 'lost']))).orderBy(leads.createdAt).limit(1);
  const taskIds: string[] = [];
  for (const t of changes.tasks) {
    const task = await addFollowUp(tx, tenantId, {
      customerId: c.id, leadId: lead?.id ?? null, assigneeId: c.ownerId ?? a.user.id, title: `跟进 ${c.name ?? '客户'}${c.title ?? ''}：${t.text}`,
      dueAt: new Date(t.dueAt), allDay: t.allDay, source: row.id,
    }, a.actor, a.now);
    taskIds.push(task.id);
  }
  if (a.direction === 'out') await markResponded(tx, tenantId, c.id, a.user.id, a.now);
  await recordAudit(tx, tenantId, { actor: a.actor, action: 'interaction.archive', entityType: 'customer', entityId: c.id, after: { interactionId: row.id, direction: a.direction, patch: Object.keys(patch), identities: changes.identities.filter((x) => !x.taken).length, tasks: taskIds.length } });
  return { interactionId: row.id, duplicate: false, changes, taskIds };
}
