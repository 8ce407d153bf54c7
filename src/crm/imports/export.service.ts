import { and, desc, eq, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { customers, interactions } from '../../db/schema.js';
import { listCustomers, type Customer, type CustomerFilter } from '../customers.repo.js';
import { listLeads } from '../leads.repo.js';
import type { LeadStatus } from '../../db/schema.js';
import type { ExportColumn } from '../../lib/sheet-export.js';

/**
 * The rows of an export, read page by page with the list APIs' own queries and filters. The caller
 * passes each record through the API's presenter (role masking) before it becomes cells.
 */
export const CUSTOMER_COLUMNS: ExportColumn[] = [
  { header: '客户ID', definition: '客路内部编号（导入时不读取）' },
  { header: '姓名', definition: '客户姓名' },
  { header: '单位', definition: '客户所在单位或公司' },
  { header: '职务', definition: '客户职务' },
  { header: '地区', definition: '客户所在地区' },
  { header: '电话', definition: '客户的手机、座机或 400/800 号码，多个以 | 分隔；非本人客户按角色打码' },
  { header: '邮箱', definition: '客户邮箱，多个以 | 分隔；按角色打码' },
  { header: '微信号', definition: '客户微信号，多个以 | 分隔；按角色打码' },
  { header: '标签', definition: '客户标签，以 | 分隔' },
  { header: '负责人', definition: '负责销售的用户编号（导入时不读取）' },
  { header: '阶段', definition: '客户当前阶段（导入时不读取）' },
  { header: '创建时间', definition: '客户建档时间，UTC ISO 8601（导入时不读取）' },
];

export async function customKeys(tx: Tx, tenantId: string): Promise<string[]> {
  const rows = await tx.selectDistinct({ k: sqlKeys() }).from(customers).where(eq(customers.tenantId, tenantId));
  return rows.map((r) => r.k).filter((k): k is string => !!k).sort();
}

function sqlKeys() {
  return sql<string>`jsonb_object_keys(${customers.customFields})`;
}

export async function* customerPages(tx: Tx, tenantId: string, f: CustomerFilter): AsyncGenerator<Customer[]> {
  let cursor: string | undefined;
  do {
    const page = await listCustomers(tx, tenantId, f, { cursor, limit: 200 });
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

export const LEAD_COLUMNS: ExportColumn[] = [
  { header: '线索ID', definition: '客路内部编号' },
  { header: '客户ID', definition: '线索所属客户' },
  { header: '状态', definition: 'new 待分配 / assigned 已分配 / claimed 已认领 / contacted 已联系 / won 成交 / lost 输单' },
  { header: '负责人', definition: '被分配的销售（用户编号）' },
  { header: '来源', definition: '线索来源渠道' },
  { header: '意向', definition: '抽取出的意向程度 low / medium / high' },
  { header: '紧急度', definition: '抽取出的紧急程度 low / medium / high' },
  { header: '响应秒数', definition: '从分配（或创建）到首次响应的秒数' },
  { header: '创建时间', definition: 'UTC ISO 8601' },
];

export async function* leadPages(tx: Tx, tenantId: string, f: { status?: LeadStatus; assigneeId?: string; visible?: SQL }) {
  let cursor: string | undefined;
  do {
    const page = await listLeads(tx, tenantId, f, { cursor, limit: 200 });
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

export const INTERACTION_COLUMNS: ExportColumn[] = [
  { header: '记录ID', definition: '客路内部编号' },
  { header: '客户ID', definition: '这条记录所属客户' },
  { header: '方向', definition: 'in 客户发来 / out 我方发出' },
  { header: '渠道', definition: '记录来自哪个渠道' },
  { header: '内容', definition: '消息或跟进原文；非本人客户的电话和邮箱按角色打码' },
  { header: '发生时间', definition: 'UTC ISO 8601' },
];

/** Interactions of the visible customers (or of one), newest first, in an optional time window. */
export async function* interactionPages(tx: Tx, tenantId: string, f: { customerId?: string; since?: Date; until?: Date; visible?: SQL }) {
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const conds: (SQL | undefined)[] = [eq(interactions.tenantId, tenantId), eq(customers.tenantId, tenantId)];
    if (f.customerId) conds.push(eq(interactions.customerId, f.customerId));
    if (f.since) conds.push(gte(interactions.occurredAt, f.since));
    if (f.until) conds.push(lte(interactions.occurredAt, f.until));
    if (f.visible) conds.push(f.visible);
    if (after) conds.push(or(lt(interactions.occurredAt, after.at), and(eq(interactions.occurredAt, after.at), lt(interactions.id, after.id))));
    const rows = await tx.select({ i: interactions, ownerId: customers.ownerId }).from(interactions)
      .innerJoin(customers, eq(customers.id, interactions.customerId))
      .where(and(...conds)).orderBy(desc(interactions.occurredAt), desc(interactions.id)).limit(500);
    if (!rows.length) return;
    yield rows;
    const last = rows[rows.length - 1]!.i;
    after = { at: last.occurredAt, id: last.id };
  }
}
