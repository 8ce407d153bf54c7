import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../db/database.js';
import { quickReplies } from '../db/schema.js';
import { recordAudit } from './audit.repo.js';

export type QuickReply = typeof quickReplies.$inferSelect;

/** The variables a quick reply may hold, filled per customer. */
export interface ReplyVars {
  /** 客户称呼: the name and title (周院长), else 您. */
  salutation: string;
  /** 产品: the product last mentioned with this customer, else 我们的产品. */
  product: string;
}

export function fillReply(body: string, v: ReplyVars): string {
  return body.replace(/\{客户称呼\}/g, v.salutation).replace(/\{产品\}/g, v.product);
}

export async function listQuickReplies(tx: Tx, tenantId: string): Promise<QuickReply[]> {
  return tx.select().from(quickReplies).where(eq(quickReplies.tenantId, tenantId)).orderBy(asc(quickReplies.position), asc(quickReplies.createdAt)).limit(200);
}

export async function getQuickReply(tx: Tx, tenantId: string, id: string): Promise<QuickReply | null> {
  const [row] = await tx.select().from(quickReplies).where(and(eq(quickReplies.tenantId, tenantId), eq(quickReplies.id, id)));
  return row ?? null;
}

export async function createQuickReply(tx: Tx, tenantId: string, r: { title: string; body: string; position?: number }, actor: string): Promise<QuickReply> {
  const [row] = await tx.insert(quickReplies).values({ tenantId, title: r.title, body: r.body, position: r.position ?? 0, createdBy: actor }).returning();
  await recordAudit(tx, tenantId, { actor, action: 'quick_reply.create', entityType: 'quick_reply', entityId: row!.id, after: { title: r.title } });
  return row!;
}

export async function deleteQuickReply(tx: Tx, tenantId: string, id: string, actor: string): Promise<boolean> {
  const rows = await tx.delete(quickReplies).where(and(eq(quickReplies.tenantId, tenantId), eq(quickReplies.id, id))).returning({ id: quickReplies.id });
  if (rows.length) await recordAudit(tx, tenantId, { actor, action: 'quick_reply.delete', entityType: 'quick_reply', entityId: id });
  return rows.length > 0;
}
