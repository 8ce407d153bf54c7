import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { behaviourEvents, customers, dealCredits, linkClicks, trackedLinks, trackingSettings, trackingVisitors } from '../../db/schema.js';
import { BEHAVIOURS, DEFAULT_POINTS, type Behaviour, type TrackedLink, type TrackingSettings } from './tracking.types.js';

async function query(tx: Tx, q: SQL): Promise<Record<string, unknown>[]> {
  return ((await tx.execute(q)) as unknown as { rows: Record<string, unknown>[] }).rows;
}

const newPublicKey = () => `pk_${randomBytes(18).toString('base64url')}`;
// 8 characters of a 62-letter alphabet: ~2e14 codes, guessing one is hopeless at the click rate limit.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
export function newLinkCode(): string {
  const b = randomBytes(8);
  return [...b].map((x) => ALPHABET[x % ALPHABET.length]).join('');
}

function pointsOf(stored: Record<string, number> | undefined): Record<Behaviour, number> {
  const out = { ...DEFAULT_POINTS };
  for (const k of BEHAVIOURS) if (typeof stored?.[k] === 'number') out[k] = stored[k]!;
  return out;
}

/** The tenant's tracking settings, made (with a new public key and the default points) on first use. */
export async function getTrackingSettings(tx: Tx, tenantId: string): Promise<TrackingSettings> {
  const [row] = await tx.select().from(trackingSettings).where(eq(trackingSettings.tenantId, tenantId));
  if (row) return { publicKey: row.publicKey, points: pointsOf(row.points) };
  await tx.insert(trackingSettings).values({ tenantId, publicKey: newPublicKey(), points: DEFAULT_POINTS }).onConflictDoNothing();
  const [made] = await tx.select().from(trackingSettings).where(eq(trackingSettings.tenantId, tenantId));
  return { publicKey: made!.publicKey, points: pointsOf(made!.points) };
}

export async function putPoints(tx: Tx, tenantId: string, points: Record<Behaviour, number>): Promise<void> {
  await getTrackingSettings(tx, tenantId);
  await tx.update(trackingSettings).set({ points, updatedAt: new Date() }).where(eq(trackingSettings.tenantId, tenantId));
}

export async function rotatePublicKey(tx: Tx, tenantId: string): Promise<string> {
  await getTrackingSettings(tx, tenantId);
  const publicKey = newPublicKey();
  await tx.update(trackingSettings).set({ publicKey, updatedAt: new Date() }).where(eq(trackingSettings.tenantId, tenantId));
  return publicKey;
}

export async function tenantOfPublicKey(tx: Tx, key: string): Promise<{ tenantId: string; points: Record<Behaviour, number> } | null> {
  const [row] = await tx.select().from(trackingSettings).where(eq(trackingSettings.publicKey, key));
  return row ? { tenantId: row.tenantId, points: pointsOf(row.points) } : null;
}

export async function insertLink(tx: Tx, tenantId: string, l: { campaign: string; channel: string; landingUrl: string; utm: Record<string, string> }, actor: string): Promise<TrackedLink> {
  for (let attempt = 0; ; attempt++) {
    const [row] = await tx.insert(trackedLinks).values({ tenantId, code: newLinkCode(), ...l, createdBy: actor }).onConflictDoNothing().returning();
    if (row) return row;
    if (attempt > 5) throw new Error('could not find a free link code');
  }
}

export async function linkByCode(tx: Tx, code: string): Promise<TrackedLink | null> {
  const [row] = await tx.select().from(trackedLinks).where(eq(trackedLinks.code, code));
  return row ?? null;
}

export async function linkById(tx: Tx, tenantId: string, id: string): Promise<TrackedLink | null> {
  const [row] = await tx.select().from(trackedLinks).where(and(eq(trackedLinks.tenantId, tenantId), eq(trackedLinks.id, id)));
  return row ?? null;
}

export interface LinkStats extends TrackedLink {
  clicks: number;
  visitors: number;
  customers: number;
  points: number;
}

/** The tenant's links, newest first, each with clicks, distinct visitors, visitors who became customers, and points earned. */
export async function listLinks(tx: Tx, tenantId: string, limit = 200): Promise<LinkStats[]> {
  const rows = await tx.select().from(trackedLinks).where(eq(trackedLinks.tenantId, tenantId)).orderBy(desc(trackedLinks.createdAt)).limit(limit);
  if (rows.length === 0) return [];
  const stats = await query(tx, sql`
    select l.id,
      (select count(*) from link_clicks c where c.tenant_id = ${tenantId} and c.link_id = l.id)::int as clicks,
      (select count(distinct c.visitor_id) from link_clicks c where c.tenant_id = ${tenantId} and c.link_id = l.id)::int as visitors,
      (select count(distinct v.customer_id) from link_clicks c join tracking_visitors v on v.tenant_id = c.tenant_id and v.visitor_id = c.visitor_id
        where c.tenant_id = ${tenantId} and c.link_id = l.id and v.customer_id is not null)::int as customers,
      (select coalesce(sum(e.points), 0) from behaviour_events e where e.tenant_id = ${tenantId} and e.link_id = l.id)::float8 as points
    from tracked_links l where l.tenant_id = ${tenantId}`);
  const by = new Map(stats.map((r) => [String(r.id), r]));
  return rows.map((l) => {
    const s: Record<string, unknown> = by.get(l.id) ?? {};
    return { ...l, clicks: Number(s.clicks ?? 0), visitors: Number(s.visitors ?? 0), customers: Number(s.customers ?? 0), points: Number(s.points ?? 0) };
  });
}

/** A click: the visitor row (made or touched, its last link now this one) and the click itself. */
export async function recordClick(tx: Tx, link: TrackedLink, visitorId: string, referrerHost: string | null, at: Date): Promise<void> {
  await tx.insert(trackingVisitors).values({ tenantId: link.tenantId, visitorId, lastLinkId: link.id, firstSeenAt: at, lastSeenAt: at })
    .onConflictDoUpdate({ target: [trackingVisitors.tenantId, trackingVisitors.visitorId], set: { lastLinkId: link.id, lastSeenAt: at } });
  await tx.insert(linkClicks).values({ tenantId: link.tenantId, linkId: link.id, visitorId, referrerHost, at });
}

export async function getVisitor(tx: Tx, tenantId: string, visitorId: string) {
  const [row] = await tx.select().from(trackingVisitors).where(and(eq(trackingVisitors.tenantId, tenantId), eq(trackingVisitors.visitorId, visitorId)));
  return row ?? null;
}

export async function touchVisitor(tx: Tx, tenantId: string, visitorId: string, at: Date) {
  const [row] = await tx.insert(trackingVisitors).values({ tenantId, visitorId, firstSeenAt: at, lastSeenAt: at })
    .onConflictDoUpdate({ target: [trackingVisitors.tenantId, trackingVisitors.visitorId], set: { lastSeenAt: at } }).returning();
  return row!;
}

/** Stores one event; false when this visitor already reported it (same kind and key). */
export async function insertEvent(tx: Tx, e: typeof behaviourEvents.$inferInsert): Promise<boolean> {
  const r = await tx.insert(behaviourEvents).values(e).onConflictDoNothing().returning({ id: behaviourEvents.id });
  return r.length > 0;
}

/** Links a visitor to a customer and claims its unclaimed events for them; returns the points claimed. */
export async function attachVisitor(tx: Tx, tenantId: string, visitorId: string, customerId: string, at: Date): Promise<number> {
  await tx.insert(trackingVisitors).values({ tenantId, visitorId, customerId, firstSeenAt: at, lastSeenAt: at })
    .onConflictDoUpdate({ target: [trackingVisitors.tenantId, trackingVisitors.visitorId], set: { customerId, lastSeenAt: at } });
  const claimed = await tx.update(behaviourEvents).set({ customerId })
    .where(and(eq(behaviourEvents.tenantId, tenantId), eq(behaviourEvents.visitorId, visitorId), isNull(behaviourEvents.customerId)))
    .returning({ points: behaviourEvents.points });
  return claimed.reduce((a, x) => a + x.points, 0);
}

/** Moves a customer's visitors and events to another customer; returns the points moved. */
export async function reassignBehaviour(tx: Tx, tenantId: string, fromId: string, toId: string): Promise<number> {
  await tx.update(trackingVisitors).set({ customerId: toId }).where(and(eq(trackingVisitors.tenantId, tenantId), eq(trackingVisitors.customerId, fromId)));
  const moved = await tx.update(behaviourEvents).set({ customerId: toId })
    .where(and(eq(behaviourEvents.tenantId, tenantId), eq(behaviourEvents.customerId, fromId))).returning({ points: behaviourEvents.points });
  return moved.reduce((a, x) => a + x.points, 0);
}

/** Adds points to the customer's score (customers.score, the number the sidebar shows). */
export async function addScore(tx: Tx, tenantId: string, customerId: string, points: number, at: Date): Promise<void> {
  if (points === 0) return;
  await tx.update(customers).set({ score: sql`${customers.score} + ${points}`, updatedAt: at }).where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)));
}

/** The customer's touchpoints: points by channel x campaign from their events, and links clicked with no points. */
export async function touchpointsOf(tx: Tx, tenantId: string, customerId: string): Promise<{ channel: string; campaign: string; points: number }[]> {
  const r = await query(tx, sql`
    select channel, campaign, sum(points)::float8 as points from (
      select e.channel, e.campaign, e.points from behaviour_events e where e.tenant_id = ${tenantId} and e.customer_id = ${customerId}
      union all
      select l.channel, l.campaign, 0 from tracking_visitors v
        join link_clicks c on c.tenant_id = v.tenant_id and c.visitor_id = v.visitor_id
        join tracked_links l on l.id = c.link_id
      where v.tenant_id = ${tenantId} and v.customer_id = ${customerId}
    ) t group by 1, 2 order by 3 desc, 1, 2`);
  return r.map((x) => ({ channel: String(x.channel), campaign: String(x.campaign), points: Number(x.points) }));
}

export async function eventsOf(tx: Tx, tenantId: string, customerId: string) {
  return tx.select({ kind: behaviourEvents.kind, points: behaviourEvents.points, channel: behaviourEvents.channel, campaign: behaviourEvents.campaign, at: behaviourEvents.at })
    .from(behaviourEvents).where(and(eq(behaviourEvents.tenantId, tenantId), eq(behaviourEvents.customerId, customerId))).orderBy(behaviourEvents.at).limit(500);
}

export async function replaceCredits(tx: Tx, tenantId: string, customerId: string, rows: { channel: string; campaign: string; points: number; share: number; amount: number | null }[], wonAt: Date): Promise<void> {
  await tx.delete(dealCredits).where(and(eq(dealCredits.tenantId, tenantId), eq(dealCredits.customerId, customerId)));
  if (rows.length === 0) return;
  await tx.insert(dealCredits).values(rows.map((r) => ({ tenantId, customerId, channel: r.channel, campaign: r.campaign, points: r.points, share: r.share, amount: r.amount === null ? null : r.amount.toFixed(2), wonAt })));
}

export async function creditsOf(tx: Tx, tenantId: string, customerId: string) {
  const rows = await tx.select().from(dealCredits).where(and(eq(dealCredits.tenantId, tenantId), eq(dealCredits.customerId, customerId))).orderBy(desc(dealCredits.share));
  return rows.map((r) => ({ channel: r.channel, campaign: r.campaign, points: r.points, share: Math.round(r.share * 10_000) / 10_000, amount: r.amount === null ? null : Number(r.amount), wonAt: r.wonAt }));
}

/** Won deals credited to each channel (and campaign) for deals won in [start, end): the sum of shares. */
export async function creditTotals(tx: Tx, tenantId: string, start: Date, end: Date, ownerIds: string[] | null = null): Promise<{ source: string; campaign: string; credit: number }[]> {
  // A team's or a rep's view counts the deals of the customers they own, as the funnel counts their leads.
  const owned = ownerIds === null ? sql`true` : ownerIds.length === 0 ? sql`false`
    : sql`exists (select 1 from customers c where c.tenant_id = d.tenant_id and c.id = d.customer_id and c.owner_id in (${sql.join(ownerIds.map((id) => sql`${id}::uuid`), sql`, `)}))`;
  const r = await query(tx, sql`
    select d.channel as source, d.campaign, sum(d.share)::float8 as credit from deal_credits d
    where d.tenant_id = ${tenantId} and d.won_at >= ${start} and d.won_at < ${end} and ${owned} group by 1, 2 order by 1, 2`);
  return r.map((x) => ({ source: String(x.source), campaign: String(x.campaign), credit: Math.round(Number(x.credit) * 10_000) / 10_000 }));
}
