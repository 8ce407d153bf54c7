import type { Tx } from '../../db/database.js';
import { recordAudit } from '../audit.repo.js';
import {
  addScore, attachVisitor, getVisitor, insertEvent, linkById, reassignBehaviour, recordClick, replaceCredits, tenantOfPublicKey, touchVisitor, touchpointsOf,
} from './tracking.repo.js';
import { BEHAVIOURS, type Behaviour, type TrackedLink, type Touchpoint } from './tracking.types.js';

/** Where a tracked link sends the browser: the landing page with the link's UTM parameters and the visitor and link ids. */
export function landingUrlOf(link: TrackedLink, visitorId: string): string {
  const u = new URL(link.landingUrl);
  const utm = { utm_source: link.channel, utm_medium: link.utm.medium ?? 'kelu', utm_campaign: link.campaign, ...(link.utm.content ? { utm_content: link.utm.content } : {}), ...(link.utm.term ? { utm_term: link.utm.term } : {}) };
  for (const [k, v] of Object.entries(utm)) u.searchParams.set(k, v);
  u.searchParams.set('kelu_vid', visitorId);
  u.searchParams.set('kelu_l', link.code);
  return u.toString();
}

export async function click(tx: Tx, link: TrackedLink, visitorId: string, referrer: string | undefined, at: Date): Promise<void> {
  let host: string | null;
  try {
    host = referrer ? new URL(referrer).host.slice(0, 100) || null : null;
  } catch {
    host = null;
  }
  await recordClick(tx, link, visitorId, host, at);
}

export type EventOutcome = { stored: false; reason: 'unknown_key' | 'duplicate' } | { stored: true; points: number; customerId: string | null };

/**
 * A behaviour the landing page reported. It is worth the tenant's points for its kind now, is credited to
 * the link the visitor last came through, and adds to the customer's score at once when the visitor is
 * already known (else when they leave a contact).
 */
export async function reportEvent(tx: Tx, e: { publicKey: string; visitorId: string; kind: Behaviour; eventKey: string; at: Date }): Promise<EventOutcome> {
  const t = await tenantOfPublicKey(tx, e.publicKey);
  if (!t) return { stored: false, reason: 'unknown_key' };
  const visitor = await touchVisitor(tx, t.tenantId, e.visitorId, e.at);
  const link = visitor.lastLinkId ? await linkById(tx, t.tenantId, visitor.lastLinkId) : null;
  const points = t.points[e.kind];
  const stored = await insertEvent(tx, {
    tenantId: t.tenantId, visitorId: e.visitorId, kind: e.kind, eventKey: e.eventKey, points, linkId: link?.id ?? null,
    channel: link?.channel ?? '', campaign: link?.campaign ?? '', customerId: visitor.customerId, at: e.at,
  });
  if (!stored) return { stored: false, reason: 'duplicate' };
  if (visitor.customerId) await addScore(tx, t.tenantId, visitor.customerId, points, e.at);
  return { stored: true, points, customerId: visitor.customerId };
}

/** The link a visitor came through last, for a lead's source and campaign. */
export async function attributionOf(tx: Tx, tenantId: string, visitorId: string): Promise<{ channel: string; campaign: string } | null> {
  const v = await getVisitor(tx, tenantId, visitorId);
  const link = v?.lastLinkId ? await linkById(tx, tenantId, v.lastLinkId) : null;
  return link ? { channel: link.channel, campaign: link.campaign } : null;
}

/** The visitor left a contact and became (or was found to be) this customer: their earlier events now count. */
export async function joinVisitor(tx: Tx, tenantId: string, visitorId: string, customerId: string, actor: string, at: Date): Promise<number> {
  const before = await getVisitor(tx, tenantId, visitorId);
  const points = await attachVisitor(tx, tenantId, visitorId, customerId, at);
  await addScore(tx, tenantId, customerId, points, at);
  if (before?.customerId !== customerId) {
    await recordAudit(tx, tenantId, { actor, action: 'customer.visitor', entityType: 'customer', entityId: customerId, after: { visitor: visitorId.slice(0, 6), points } });
  }
  return points;
}

/**
 * Splits a won deal across the customer's touchpoints in proportion to their points; touchpoints without
 * points (a click and nothing more) share equally only when no touchpoint earned any. Replaces an
 * earlier split of the same customer (a deal won again is credited once, as it stands now).
 */
export function splitCredit(tps: { channel: string; campaign: string; points: number }[], amount: number | null): Touchpoint[] {
  const total = tps.reduce((a, t) => a + Math.max(0, t.points), 0);
  const counted = total > 0 ? tps.filter((t) => t.points > 0) : tps;
  const shares = counted.map((t) => (total > 0 ? t.points / total : 1 / counted.length));
  return counted.map((t, i) => ({ channel: t.channel, campaign: t.campaign, points: t.points, share: Math.round(shares[i]! * 10_000) / 10_000, amount: amount === null ? null : Math.round(amount * shares[i]! * 100) / 100 }));
}

export async function creditWonDeal(tx: Tx, tenantId: string, customerId: string, amount: number | null, actor: string, at: Date): Promise<Touchpoint[]> {
  const split = splitCredit(await touchpointsOf(tx, tenantId, customerId), amount);
  await replaceCredits(tx, tenantId, customerId, split, at);
  if (split.length) await recordAudit(tx, tenantId, { actor, action: 'customer.credit', entityType: 'customer', entityId: customerId, after: { touchpoints: split } });
  return split;
}

/** A customer merged into another: their visitors and behaviour go with them, and the points to the survivor's score. */
export async function moveBehaviour(tx: Tx, tenantId: string, fromId: string, toId: string, at: Date): Promise<number> {
  const points = await reassignBehaviour(tx, tenantId, fromId, toId);
  await addScore(tx, tenantId, toId, points, at);
  return points;
}

export function isBehaviour(k: string): k is Behaviour {
  return (BEHAVIOURS as readonly string[]).includes(k);
}
