import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { and, eq, sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../../helpers/test-db.js';
import { customers, customerIdentities, interactions, leads, type LeadStatusChange } from '../../../src/db/schema.js';
import type { Db } from '../../../src/db/database.js';
import { loadMigrations } from '../../../src/db/migrate.js';
import { upsertTenant } from '../../../src/crm/tenants.repo.js';
import { createUser, type User } from '../../../src/crm/users.repo.js';
import { addIdentity } from '../../../src/crm/customers.repo.js';
import { addInteraction } from '../../../src/crm/interactions.repo.js';
import { changeLeadStatus } from '../../../src/crm/leads.repo.js';
import { mergeCustomer } from '../../../src/crm/resolution.service.js';
import { changeRole, deactivateUser } from '../../../src/crm/handover.service.js';
import { addDays, localDay, period } from '../../../src/crm/insight/period.js';
import { resolveScope, rows, TENANT_SCOPE, type Scope } from '../../../src/crm/insight/scope.js';
import { collaborationCounts, completenessCounts, monthMasks, survivalCounts } from '../../../src/crm/insight/metrics.repo.js';
import { rawCollaborationCounts, rawCompletenessCounts, rawSurvivalCounts } from '../../../src/crm/insight/metrics.raw.js';
import { assignmentHeat, rawAssignmentHeat, rawResponseHeat, responseHeat, splitPeriod } from '../../../src/crm/insight/funnel.repo.js';
import { foldHeat } from '../../../src/crm/insight/heat-fold.js';

// The rollups of 0011 against the raw rows after random writes through the app's own write paths
// (capture-style inserts, bulk inserts, edits, deletes, merges, status changes, a role change, a
// hand-over, a change of the tenant's time zone). Two checks: every rollup row equals what this file
// computes in JavaScript from the raw rows (local days by Intl, not by the database), and the metrics
// read from the rollups equal the raw statements of metrics.raw.ts over random periods and scopes.

type Row = Record<string, unknown>;
const DAY = 86_400_000;
const NOW = new Date('2026-06-30T04:00:00Z');

/** mulberry32: the same writes on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Raw {
  tz: Map<string, string>;
  roles: Map<string, { tenantId: string; role: string }>;
  msgs: { tenantId: string; customerId: string; authorId: string | null; at: Date; entities: Record<string, unknown> | null }[];
  phones: { tenantId: string; customerId: string }[];
  leads: { id: string; tenantId: string; customerId: string; createdAt: Date; history: LeadStatusChange[] }[];
}

async function readRaw(db: Db): Promise<Raw> {
  const tz = new Map((await rows<Row>(db, sql`select tenant_id, time_zone from tenants`)).map((r) => [String(r.tenant_id), String(r.time_zone)]));
  const roles = new Map((await rows<Row>(db, sql`select id, tenant_id, role from users`)).map((r) => [String(r.id), { tenantId: String(r.tenant_id), role: String(r.role) }]));
  const msgs = (await db.select().from(interactions)).map((i) => ({ tenantId: i.tenantId, customerId: i.customerId, authorId: i.authorId, at: i.occurredAt, entities: i.entities ?? null }));
  const phones = (await db.select().from(customerIdentities).where(eq(customerIdentities.kind, 'phone'))).map((i) => ({ tenantId: i.tenantId, customerId: i.customerId }));
  const ls = (await db.select().from(leads)).map((l) => ({ id: l.id, tenantId: l.tenantId, customerId: l.customerId, createdAt: l.createdAt, history: l.statusHistory }));
  return { tz, roles, msgs, phones, leads: ls };
}

const namesProduct = (e: Record<string, unknown> | null) => e !== null && e.products !== undefined && !(Array.isArray(e.products) && e.products.length === 0);

function expectedCollab(r: Raw): Record<string, string> {
  const out: Record<string, { rep: number; manager: number; admin: number }> = {};
  for (const m of r.msgs) {
    const u = m.authorId ? r.roles.get(m.authorId) : undefined;
    if (!u || u.tenantId !== m.tenantId) continue;
    const day = localDay(m.at, r.tz.get(m.tenantId)!);
    const k = `${m.tenantId}|${m.customerId}|${day.slice(0, 7)}-01`;
    const x = (out[k] ??= { rep: 0, manager: 0, admin: 0 });
    x[u.role as 'rep'] |= 1 << (Number(day.slice(8)) - 1);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, `${v.rep}/${v.manager}/${v.admin}`]));
}

function expectedCustomers(r: Raw): Record<string, string> {
  const out: Record<string, { phones: number; products: number; last: number | null }> = {};
  const at = (t: string, c: string) => (out[`${t}|${c}`] ??= { phones: 0, products: 0, last: null });
  for (const p of r.phones) at(p.tenantId, p.customerId).phones++;
  for (const m of r.msgs) {
    const x = at(m.tenantId, m.customerId);
    if (namesProduct(m.entities)) x.products++;
    x.last = Math.max(x.last ?? -Infinity, m.at.getTime());
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, `${v.phones}/${v.products}/${v.last === null ? '' : new Date(v.last).toISOString()}`]));
}

function expectedLeads(r: Raw): Record<string, string> {
  const first = (h: LeadStatusChange[], s: string) => {
    const t = h.filter((e) => e.status === s).map((e) => Date.parse(e.at));
    return t.length ? new Date(Math.min(...t)).toISOString() : '';
  };
  return Object.fromEntries(r.leads.map((l) => {
    const day7 = l.createdAt.getTime() + 7 * DAY;
    const heard = r.msgs.some((m) => m.tenantId === l.tenantId && m.customerId === l.customerId && m.at.getTime() > day7 - 3 * DAY && m.at.getTime() <= day7);
    return [l.id, `${l.tenantId}/${heard}/${first(l.history, 'won')}/${first(l.history, 'lost')}`];
  }));
}

const hourIn = (at: Date, timeZone: string) => Number(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: '2-digit' }).format(at));

async function expectedHeat(db: Db, tz: Map<string, string>): Promise<Record<string, string>> {
  const out: Record<string, { a: number; c: number; secs: number[] }> = {};
  const cell = (t: string, rep: string, at: Date) => (out[`${t}|${rep}|${localDay(at, tz.get(t)!).slice(0, 7)}-01|${hourIn(at, tz.get(t)!)}`] ??= { a: 0, c: 0, secs: [] });
  for (const l of await db.select().from(leads)) {
    if (!l.assigneeId) continue;
    if (l.assignedAt) cell(l.tenantId, l.assigneeId, l.assignedAt).a++;
    const x = cell(l.tenantId, l.assigneeId, l.createdAt);
    x.c++;
    if (l.firstResponseAt) x.secs.push((l.firstResponseAt.getTime() - l.createdAt.getTime()) / 1000);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, `${v.a}/${v.c}/${v.secs.sort((x, y) => x - y).join(',')}`]));
}

async function readHeat(db: Db): Promise<Record<string, string>> {
  return Object.fromEntries((await rows<Row>(db, sql`select tenant_id, assignee_id, month::text as month, hour, assigned, created,
      array_to_string(array(select unnest(response_secs) order by 1), ',') as secs from insight_heat_months`))
    .map((r) => [`${r.tenant_id}|${r.assignee_id}|${r.month}|${r.hour}`, `${r.assigned}/${r.created}/${r.secs}`]));
}

async function readRollups(db: Db) {
  const iso = (v: unknown) => (v === null ? '' : new Date(v as string).toISOString());
  const collab = Object.fromEntries((await rows<Row>(db, sql`select tenant_id, customer_id, month::text as month, rep_days, manager_days, admin_days, roles from insight_collab_months`))
    .map((r) => [`${r.tenant_id}|${r.customer_id}|${r.month}`, `${r.rep_days}/${r.manager_days}/${r.admin_days}`]));
  const rolesOk = (await rows<Row>(db, sql`select count(*)::int as n from insight_collab_months where roles <> (rep_days <> 0)::int + (manager_days <> 0)::int + (admin_days <> 0)::int`))[0]!.n;
  const cust = Object.fromEntries((await rows<Row>(db, sql`select tenant_id, customer_id, phones, product_messages, last_interaction_at from insight_customer_state`))
    .map((r) => [`${r.tenant_id}|${r.customer_id}`, `${r.phones}/${r.product_messages}/${iso(r.last_interaction_at)}`]));
  const lead = Object.fromEntries((await rows<Row>(db, sql`select lead_id, tenant_id, heard, won_at, lost_at from insight_lead_state`))
    .map((r) => [String(r.lead_id), `${r.tenant_id}/${r.heard}/${iso(r.won_at)}/${iso(r.lost_at)}`]));
  return { collab, rolesOk, cust, lead };
}

describe('monthMasks', () => {
  it('marks the period\'s days of each month, and whole months', () => {
    expect(monthMasks(period('2026-01-30', '2026-03-02', 'Asia/Shanghai'))).toEqual([
      { month: '2026-01-01', mask: (1 << 29) | (1 << 30), whole: false },
      { month: '2026-02-01', mask: 2 ** 28 - 1, whole: true },
      { month: '2026-03-01', mask: 3, whole: false },
    ]);
    expect(monthMasks(period('2024-02-01', '2024-02-29', 'UTC'))).toEqual([{ month: '2024-02-01', mask: 2 ** 29 - 1, whole: true }]);
    expect(monthMasks(period('2026-05-02', '2026-05-01', 'UTC'))).toEqual([]);
  });
});

describe('splitPeriod', () => {
  it('reads whole local months from the rollup and the edge days from the leads', () => {
    const p = period('2026-01-30', '2026-04-02', 'Asia/Shanghai');
    expect(splitPeriod(p)).toEqual({
      whole: ['2026-02-01', '2026-03-01'],
      edges: [{ start: p.start, end: new Date('2026-01-31T16:00:00Z') }, { start: new Date('2026-03-31T16:00:00Z'), end: p.end }],
    });
    const q = period('2026-02-01', '2026-02-28', 'UTC');
    expect(splitPeriod(q)).toEqual({ whole: ['2026-02-01'], edges: [] });
    const r = period('2026-02-03', '2026-02-27', 'UTC');
    expect(splitPeriod(r)).toEqual({ whole: [], edges: [{ start: r.start, end: r.end }] });
  });
});

describe.each(backends)('insight rollups agree with the raw rows on %s', (backend) => {
  let t: TestDatabase;
  let db: Db;
  const rnd = random(backend === 'pglite' ? 16 : 61);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let people: User[] = [];
  let stranger: User;
  let seq = 0;
  let folded = 0;

  beforeAll(async () => {
    t = await openTestDatabase(backend);
    db = t.database.db;
    await upsertTenant(db, { tenantId: 'r', name: '汇总', timeZone: 'Asia/Shanghai' }, 'test');
    await upsertTenant(db, { tenantId: 'o', name: '别家', timeZone: 'UTC' }, 'test');
    people = [
      await createUser(db, 'r', { name: '销售甲', role: 'rep', region: '华东' }, 'test'),
      await createUser(db, 'r', { name: '销售乙', role: 'rep', region: '华南' }, 'test'),
      await createUser(db, 'r', { name: '经理', role: 'manager', region: '华东' }, 'test'),
      await createUser(db, 'r', { name: '管理员', role: 'admin' }, 'test'),
    ];
    stranger = await createUser(db, 'o', { name: '别家销售', role: 'rep' }, 'test');
  }, 120_000);
  afterAll(async () => t?.drop());

  /** A random instant in Jan-Apr 2026; a third of them a millisecond either side of a local midnight (Shanghai or New York). */
  const when = (): Date => {
    const day = Date.parse('2026-01-01T00:00:00Z') + Math.floor(rnd() * 118) * DAY;
    if (rnd() < 0.33) return new Date(day + pick([16, 5, 4]) * 3_600_000 + pick([-1, 0]));
    return new Date(day + Math.floor(rnd() * DAY));
  };
  const entities = () => pick([{ products: [] }, { products: [{ id: 'dr' }] }, null, {}] as const);

  async function customerIds(tenantId = 'r'): Promise<string[]> {
    return (await db.select({ id: customers.id }).from(customers).where(and(eq(customers.tenantId, tenantId), sql`merged_into is null`))).map((c) => c.id);
  }

  async function newCustomer(tenantId = 'r'): Promise<string> {
    const [c] = await db.insert(customers).values({
      tenantId, name: `客户${++seq}`, ownerId: tenantId === 'r' ? pick([...people.map((p) => p.id), null]) : null, createdAt: when(),
      company: pick([null, '', '  ', '某医院']), customFields: pick([{}, { need: 'DR' }, { need: ' ' }]),
    }).returning();
    if (rnd() < 0.6) await addIdentity(db, tenantId, c!.id, { kind: 'phone', value: `139${String(++seq).padStart(8, '0')}` });
    return c!.id;
  }

  async function newLead(cs: string[]): Promise<void> {
    const created = when();
    const history: LeadStatusChange[] = [{ status: 'assigned', at: created.toISOString() }];
    for (const s of ['won', 'lost'] as const) if (rnd() < 0.3) history.push({ status: s, at: new Date(created.getTime() + Math.floor(rnd() * 10 * DAY)).toISOString() });
    const assignee = pick([...people, null]);
    await db.insert(leads).values({
      tenantId: 'r', customerId: pick(cs), assigneeId: assignee?.id ?? null, createdAt: created, status: assignee ? 'assigned' : 'new', statusHistory: history,
      assignedAt: assignee && rnd() < 0.9 ? new Date(created.getTime() + Math.floor(rnd() * 2 * DAY)) : null,
      firstResponseAt: rnd() < 0.7 ? new Date(created.getTime() + pick([0, 30 * 60_000, 30 * 60_000 + 1, Math.floor(rnd() * DAY)])) : null,
    });
  }

  async function randomWrite(): Promise<void> {
    // Now and then the heat deltas are folded in, a few at a time (the fold job): the rest of the
    // writes meet heat rows that are partly folded, with removals of values folded earlier or not yet.
    if (rnd() < 0.06) folded += await foldHeat(db, 1 + Math.floor(rnd() * 3));
    const cs = await customerIds();
    const x = rnd();
    if (x < 0.1 || cs.length < 5) {
      await newCustomer();
    } else if (x < 0.35) {
      await addInteraction(db, 'r', {
        customerId: pick(cs), channel: 'chat', direction: 'out', authorId: pick([...people.map((p) => p.id), null, stranger.id]),
        platform: 'test', platformMessageId: `m${++seq}`, occurredAt: when(), entities: entities(),
      });
    } else if (x < 0.45) {
      await db.insert(interactions).values(Array.from({ length: 2 + Math.floor(rnd() * 8) }, () => ({
        tenantId: 'r', customerId: pick(cs), channel: 'chat', direction: 'in' as const, authorId: pick([...people.map((p) => p.id), null]),
        occurredAt: when(), entities: entities(),
      })));
    } else if (x < 0.55) {
      // An edit: moved in time, another author, other entities, or another customer.
      const [i] = await db.select().from(interactions).where(eq(interactions.tenantId, 'r')).orderBy(sql`random()`).limit(1);
      if (i) await db.update(interactions).set(pick([{ occurredAt: when() }, { authorId: pick(people).id }, { entities: entities() }, { customerId: pick(cs) }])).where(eq(interactions.id, i.id));
    } else if (x < 0.6) {
      await db.execute(sql`delete from interactions where id = (select id from interactions where tenant_id = 'r' order by random() limit 1)`);
    } else if (x < 0.7) {
      await newLead(cs);
    } else if (x < 0.74) {
      // Assignment and first response: a lead reassigned, answered, or moved in time.
      const [l] = await db.select().from(leads).where(eq(leads.tenantId, 'r')).orderBy(sql`random()`).limit(1);
      if (l) await db.update(leads).set(pick([{ assigneeId: pick(people).id, assignedAt: when() }, { firstResponseAt: when() }, { createdAt: when() }, { assigneeId: null }])).where(eq(leads.id, l.id));
    } else if (x < 0.78) {
      const [l] = await db.select().from(leads).where(eq(leads.tenantId, 'r')).orderBy(sql`random()`).limit(1);
      if (l) await changeLeadStatus(db, 'r', l.id, { status: pick(['won', 'lost', 'contacted'] as const), by: 'test' }, new Date(l.createdAt.getTime() + Math.floor(rnd() * 10 * DAY)));
    } else if (x < 0.8) {
      await db.execute(sql`delete from leads where id = (select id from leads where tenant_id = 'r' order by random() limit 1)`);
    } else if (x < 0.85) {
      await db.execute(sql`delete from customer_identities where id = (select id from customer_identities where tenant_id = 'r' order by random() limit 1)`);
    } else if (x < 0.88) {
      const [a, b] = [pick(cs), pick(cs)];
      if (a !== b) {
        await db.transaction(async (tx) => {
          const [p] = await tx.select().from(customers).where(eq(customers.id, a));
          const [o] = await tx.select().from(customers).where(eq(customers.id, b));
          await mergeCustomer(tx, 'r', p!, o!, 'test');
        });
      }
    } else if (x < 0.93) {
      // A customer handed to another owner (team and rep scopes read owners at query time).
      await db.update(customers).set({ ownerId: pick(people).id }).where(eq(customers.id, pick(cs)));
    } else if (x < 0.95) {
      const u = pick(people.slice(0, 3));
      await changeRole(db, 'r', u.id, pick(['rep', 'manager', 'admin'] as const), 'test');
    } else {
      // Writes inside one transaction, the last of them rolled back with it.
      await db.transaction(async (tx) => {
        await tx.insert(interactions).values({ tenantId: 'r', customerId: pick(cs), channel: 'chat', direction: 'out', authorId: pick(people).id, occurredAt: when(), entities: entities() });
        if (rnd() < 0.5) return;
        await tx.insert(interactions).values({ tenantId: 'r', customerId: pick(cs), channel: 'chat', direction: 'out', authorId: people[0]!.id, occurredAt: when(), entities: entities() });
        tx.rollback();
      }).catch((e: unknown) => {
        if (!String(e).includes('Rollback')) throw e;
      });
    }
  }

  /** The heat maps read with deltas not folded yet, then every delta folded: the heat rows alone are exact. */
  async function expectAgreement(): Promise<void> {
    // A response time surely removed and not folded yet, in a whole month the periods below read: a
    // lead moved into February and answered, then answered at another time. (The random writes pick
    // rows with the database's random(), so on PostgreSQL they need not leave such a removal.)
    const [l] = await db.select().from(leads).where(eq(leads.tenantId, 'r')).limit(1);
    const feb = new Date('2026-02-15T03:00:00Z');
    await db.update(leads).set({ assigneeId: people[0]!.id, assignedAt: feb, createdAt: feb, firstResponseAt: new Date(feb.getTime() + 600_000) }).where(eq(leads.id, l!.id));
    await db.update(leads).set({ firstResponseAt: new Date(feb.getTime() + 1_200_000) }).where(eq(leads.id, l!.id));
    // Unfolded additions and removals (of response times too) are there to be read.
    const [pending] = await rows<{ n: number; removals: number }>(db, sql`select count(*)::int as n, count(*) filter (where cardinality(removed_secs) > 0)::int as removals from insight_heat_deltas`);
    expect(pending!.n).toBeGreaterThan(3);
    expect(pending!.removals).toBeGreaterThan(0);
    await expectMetrics();
    while ((await foldHeat(db, 7)) > 0);
    expect((await rows<Row>(db, sql`select count(*)::int as n from insight_heat_deltas`))[0]!.n).toBe(0);
    const raw = await readRaw(db);
    expect(await readHeat(db)).toEqual(await expectedHeat(db, raw.tz));
    await expectMetrics();
  }

  async function expectMetrics(): Promise<void> {
    const raw = await readRaw(db);
    const got = await readRollups(db);
    expect(got.collab).toEqual(expectedCollab(raw));
    expect(got.rolesOk).toBe(0);
    expect(got.cust).toEqual(expectedCustomers(raw));
    expect(got.lead).toEqual(expectedLeads(raw));
    const tz = raw.tz.get('r')!;
    const scopes: Scope[] = [TENANT_SCOPE, await resolveScope(db, 'r', { team: '华东' }, { ownerIds: null }), await resolveScope(db, 'r', { rep: people[1]!.id }, { ownerIds: null })];
    const periods = [period('2026-02-01', '2026-03-31', tz), period('2026-01-15', '2026-04-20', tz)];
    for (let k = 0; k < 8; k++) {
      const from = addDays('2025-12-30', Math.floor(rnd() * 120));
      periods.push(period(from, addDays(from, pick([0, 1, 6, 29, 45, 89, 125])), tz));
    }
    for (const p of periods) {
      for (const s of scopes) {
        const at = `${p.from}..${p.to} ${s.kind}`;
        expect({ at, h: await assignmentHeat(db, 'r', p, s) }).toEqual({ at, h: await rawAssignmentHeat(db, 'r', p, s) });
        expect({ at, h: await responseHeat(db, 'r', p, s, 30) }).toEqual({ at, h: await rawResponseHeat(db, 'r', p, s, 30) });
        const where = `${p.from}..${p.to} ${s.kind}`;
        expect({ where, c: await collaborationCounts(db, 'r', p, s) }).toEqual({ where, c: await rawCollaborationCounts(db, 'r', p, s) });
        expect({ where, c: await completenessCounts(db, 'r', p, s) }).toEqual({ where, c: await rawCompletenessCounts(db, 'r', p, s) });
        expect({ where, c: await survivalCounts(db, 'r', p, s, NOW) }).toEqual({ where, c: await rawSurvivalCounts(db, 'r', p, s, NOW) });
      }
    }
  }

  it('after random writes, a hand-over, a role change and a new time zone', async () => {
    // The other tenant's rows must stay out of 'r' (and keep their own rollups).
    const oc = await newCustomer('o');
    await addInteraction(db, 'o', { customerId: oc, channel: 'chat', direction: 'out', authorId: stranger.id, platform: 'test', platformMessageId: 'o1', occurredAt: when(), entities: { products: [{ id: 'x' }] } });
    for (let i = 0; i < 8; i++) await newCustomer();
    for (let i = 0; i < 15; i++) await newLead(await customerIds());
    for (let i = 0; i < 120; i++) await randomWrite();
    expect(folded).toBeGreaterThan(3);
    await expectAgreement();
    const counts = await readRollups(db);
    // The random writes reached every rollup (a test on empty tables would prove nothing).
    expect(Object.keys(counts.collab).length).toBeGreaterThan(10);
    expect(Object.keys(counts.lead).length).toBeGreaterThan(5);
    expect((await rows<Row>(db, sql`select count(*)::int as n from insight_heat_months where tenant_id = 'r' and cardinality(response_secs) > 0`))[0]!.n).toBeGreaterThan(3);

    await upsertTenant(db, { tenantId: 'r', name: '汇总', timeZone: 'America/New_York' }, 'test');
    await changeRole(db, 'r', people[2]!.id, 'rep', 'test');
    for (let i = 0; i < 80; i++) await randomWrite();
    await deactivateUser(db, 'r', people[0]!.id, people[1]!.id, 'test', new Date('2026-05-01T00:00:00Z'));
    await expectAgreement();
  }, 240_000);

  it('the migration\'s backfill writes the same rollups from the rows already there', async () => {
    const before = { ...(await readRollups(db)), heat: await readHeat(db) };
    expect(Object.keys(before.heat).length).toBeGreaterThan(3);
    for (const table of ['insight_collab_months', 'insight_customer_state', 'insight_lead_state', 'insight_heat_months']) await t.database.query(sql.raw(`delete from ${table}`));
    const m = loadMigrations().find((x) => x.name === '0011_rollups')!;
    for (const stmt of m.sql.slice(m.sql.indexOf('-- Backfill')).split('--> statement-breakpoint')) await t.database.query(sql.raw(stmt));
    expect({ ...(await readRollups(db)), heat: await readHeat(db) }).toEqual(before);
  });

  it('collaboration read in another time zone than the tenant\'s falls back to the raw rows', async () => {
    const p = period('2026-02-01', '2026-03-15', 'Asia/Tokyo');
    expect(await collaborationCounts(db, 'r', p, TENANT_SCOPE)).toEqual(await rawCollaborationCounts(db, 'r', p, TENANT_SCOPE));
  });
});
