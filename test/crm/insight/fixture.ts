import type { Database } from '../../../src/db/database.js';
import { customers, customerIdentities, interactions, leads, insightSpend, type LeadStatusChange } from '../../../src/db/schema.js';
import { upsertTenant } from '../../../src/crm/tenants.repo.js';
import { createUser, type User } from '../../../src/crm/users.repo.js';

// A hand-computed fixture for the health metrics, tenant 'acme' in Asia/Shanghai (UTC+8). Local
// midnight of 2026-03-02 is 2026-03-01T16:00Z: a lead at 15:59Z belongs to March 1, one at 16:00Z to March 2.
export const TZ = 'Asia/Shanghai';
export const NOW = new Date('2026-03-20T04:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;

export interface Fixture {
  manager: User; admin: User; r1: User; r2: User; m2: User;
  leads: Record<string, string>;
  customers: Record<string, string>;
}

export async function seedFixture(database: Database, tenantId = 'acme'): Promise<Fixture> {
  const { db } = database;
  await upsertTenant(db, { tenantId, name: '演示医疗器械', timeZone: TZ }, 'test');
  const acc = (v: string) => [{ platform: 'wecom', kind: 'userid', value: `${tenantId}-${v}` }];
  const manager = await createUser(db, tenantId, { name: '华东经理', role: 'manager', region: '华东', accounts: acc('mgr-east') }, 'test');
  const m2 = await createUser(db, tenantId, { name: '华南经理', role: 'manager', region: '华南', accounts: acc('mgr-south') }, 'test');
  const admin = await createUser(db, tenantId, { name: '管理员', role: 'admin' }, 'test');
  const r1 = await createUser(db, tenantId, { name: '李销售', role: 'rep', region: '华东' }, 'test');
  const r2 = await createUser(db, tenantId, { name: '张销售', role: 'rep', region: '华南' }, 'test');

  const cust = async (name: string, o: { owner?: User | null; at?: string; phone?: string; company?: string | null; need?: string; mergedInto?: string } = {}) => {
    const [c] = await db.insert(customers).values({
      tenantId, name, ownerId: o.owner?.id ?? null, company: o.company ?? null, createdAt: new Date(o.at ?? '2026-01-01T00:00:00Z'),
      customFields: o.need ? { need: o.need } : {}, mergedInto: o.mergedInto ?? null,
    }).returning();
    if (o.phone) await db.insert(customerIdentities).values({ tenantId, customerId: c!.id, kind: 'phone', value: o.phone });
    return c!.id;
  };
  const say = async (customerId: string, at: Date | string, o: { author?: User; products?: boolean; text?: string; direction?: 'in' | 'out' | 'note' } = {}) => {
    await db.insert(interactions).values({
      tenantId, customerId, channel: 'chat', direction: o.direction ?? (o.author ? 'out' : 'in'), authorId: o.author?.id ?? null, text: o.text ?? '',
      occurredAt: new Date(at), entities: o.products ? { products: [{ id: 'dr-1', name: '移动DR' }] } : { products: [] },
    });
  };
  const lead = async (customerId: string, o: { rep: User | null; at: string; responseMin?: number; status: LeadStatusChange['status']; history?: [LeadStatusChange['status'], number][]; source: string; campaign?: string }) => {
    const created = new Date(o.at);
    const history: LeadStatusChange[] = [{ status: 'assigned', at: created.toISOString(), assigneeId: o.rep?.id ?? null },
      ...(o.history ?? []).map(([status, days]) => ({ status, at: new Date(created.getTime() + days * DAY).toISOString() }))];
    const [l] = await db.insert(leads).values({
      tenantId, customerId, status: o.status, assigneeId: o.rep?.id ?? null, assignedAt: o.rep ? created : null, createdAt: created,
      firstResponseAt: o.responseMin === undefined ? null : new Date(created.getTime() + o.responseMin * MIN),
      sourceChannel: o.source, utm: o.campaign ? { campaign: o.campaign } : {}, statusHistory: history,
    }).returning();
    return l!.id;
  };

  // Leads. Period 2026-03-02..2026-03-08 local holds L1, L2, L3, L4, L6.
  const lc = async (n: string, owner: User | null) => cust(`线索客户${n}`, { owner });
  const c: Record<string, string> = {};
  for (const [n, o] of [['1', r1], ['2', r1], ['3', r2], ['4', r2], ['5', r1], ['6', r1], ['7', null]] as const) c[`L${n}`] = await lc(n, o);
  const l: Record<string, string> = {};
  l.L1 = await lead(c.L1!, { rep: r1, at: '2026-03-01T16:00:00Z', responseMin: 10, status: 'won', history: [['won', 5]], source: '老客转介' });
  l.L2 = await lead(c.L2!, { rep: r1, at: '2026-03-03T02:00:00Z', responseMin: 30, status: 'lost', history: [['lost', 2]], source: '展会', campaign: 'spring' });
  l.L3 = await lead(c.L3!, { rep: r2, at: '2026-03-04T02:00:00Z', responseMin: 45, status: 'contacted', source: '展会', campaign: 'spring' });
  l.L4 = await lead(c.L4!, { rep: r2, at: '2026-03-05T02:00:00Z', status: 'assigned', source: '展会', campaign: 'autumn' });
  l.L5 = await lead(c.L5!, { rep: r1, at: '2026-03-01T15:59:00Z', responseMin: 5, status: 'claimed', source: '官网' });
  l.L6 = await lead(c.L6!, { rep: r1, at: '2026-03-08T15:59:00Z', responseMin: 120, status: 'qualified', source: '官网' });
  l.L7 = await lead(c.L7!, { rep: null, at: '2026-03-08T16:00:00Z', status: 'new', source: '官网' });
  // Survival: L3 heard from on day 5, L4 only on day 1 (silent), L6 exactly on day 7.
  await say(c.L3!, new Date(Date.parse('2026-03-04T02:00:00Z') + 5 * DAY));
  await say(c.L4!, new Date(Date.parse('2026-03-05T02:00:00Z') + 1 * DAY));
  await say(c.L6!, new Date(Date.parse('2026-03-08T15:59:00Z') + 7 * DAY));

  // Completeness: customers created in the period.
  c.C1 = await cust('周院长', { owner: r1, at: '2026-03-02T01:00:00Z', phone: '13900000001', company: '杭州一院' });
  await say(c.C1, '2026-03-02T02:00:00Z', { products: true });
  c.C2 = await cust('吴主任', { owner: r1, at: '2026-03-03T01:00:00Z', phone: '13900000002', company: '宁波二院', need: '想换一台DR' });
  c.C3 = await cust('郑科长', { owner: r2, at: '2026-03-04T01:00:00Z', phone: '13900000003' });
  await say(c.C3, '2026-03-04T02:00:00Z', { products: true });
  c.C4 = await cust('王老师', { owner: r2, at: '2026-03-05T01:00:00Z', company: '广州三院', need: '彩超' });
  c.C5 = await cust('钱处长', { owner: r1, at: '2026-03-01T15:59:00Z', phone: '13900000005', company: '苏州四院', need: '监护仪' });
  c.C6 = await cust('周院长（重复）', { owner: r1, at: '2026-03-02T03:00:00Z', phone: '13900000006', company: '杭州一院', need: 'DR', mergedInto: c.C1 });

  // Collaboration: C1 by a rep and a manager in March, C2 by a rep, C3 by the admin in March and by
  // a rep on April 1 00:30 local (March 31 16:30Z: still March in UTC).
  await say(c.C1, '2026-03-03T02:00:00Z', { author: r1 });
  await say(c.C1, '2026-03-03T03:00:00Z', { author: r1 });
  await say(c.C1, '2026-03-04T02:00:00Z', { author: manager, direction: 'note' });
  await say(c.C2, '2026-03-05T02:00:00Z', { author: r1 });
  await say(c.C3, '2026-03-06T02:00:00Z', { author: admin, direction: 'note' });
  await say(c.C3, '2026-03-31T16:30:00Z', { author: r2 });

  // Spend: 展会 3,000 on spring (Mar 3) and 600 for the source as a whole (Mar 5); Mar 9 is outside.
  await db.insert(insightSpend).values([
    { tenantId, day: '2026-03-03', sourceChannel: '展会', campaign: 'spring', amount: '3000' },
    { tenantId, day: '2026-03-05', sourceChannel: '展会', campaign: '', amount: '600' },
    { tenantId, day: '2026-03-09', sourceChannel: '展会', campaign: '', amount: '1000' },
  ]);
  return { manager, admin, r1, r2, m2, leads: l, customers: c };
}
