import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { backends, openTestDatabase, type TestDatabase } from '../../helpers/test-db.js';
import { upsertTenant } from '../../../src/crm/tenants.repo.js';
import { createCustomer, getCustomer } from '../../../src/crm/customers.repo.js';
import { getTrackingSettings, insertLink, putPoints, creditsOf, creditTotals } from '../../../src/crm/tracking/tracking.repo.js';
import { mergeCustomer } from '../../../src/crm/resolution.service.js';
import { click, creditWonDeal, joinVisitor, landingUrlOf, reportEvent, splitCredit } from '../../../src/crm/tracking/tracking.service.js';

describe('credit split (pure)', () => {
  it('splits by points, rounding shares and amounts', () => {
    expect(splitCredit([{ channel: '抖音', campaign: 'a', points: 6 }, { channel: '公众号', campaign: 'b', points: 2 }, { channel: '短信', campaign: 'c', points: 0 }], 100_000)).toEqual([
      { channel: '抖音', campaign: 'a', points: 6, share: 0.75, amount: 75_000 },
      { channel: '公众号', campaign: 'b', points: 2, share: 0.25, amount: 25_000 },
    ]);
  });
  it('shares equally among clicked links when none earned points, and gives nothing when there is no touchpoint', () => {
    expect(splitCredit([{ channel: 'x', campaign: '', points: 0 }, { channel: 'y', campaign: '', points: 0 }], null).map((t) => t.share)).toEqual([0.5, 0.5]);
    expect(splitCredit([], 1000)).toEqual([]);
  });
});

describe.each(backends)('tracking on %s', (backend) => {
  let t: TestDatabase;
  const at = new Date('2026-03-05T02:00:00Z');
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await upsertTenant(t.database.db, { tenantId: 'acme', name: 'Acme' }, 'test');
    await upsertTenant(t.database.db, { tenantId: 'other', name: 'Other' }, 'test');
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('scores events before and after the visitor is known, once each, and splits a won deal by them', async () => {
    const { db } = t.database;
    const settings = await getTrackingSettings(db, 'acme');
    expect(settings.points).toEqual({ video: 1, download: 2, demo: 5 });
    const dy = await insertLink(db, 'acme', { campaign: '春季DR', channel: '抖音', landingUrl: 'https://example.com/dr?x=1', utm: {} }, 'test');
    const wx = await insertLink(db, 'acme', { campaign: '春季DR', channel: '公众号', landingUrl: 'https://example.com/dr', utm: {} }, 'test');
    const url = new URL(landingUrlOf(dy, 'visitor-aaaaaaaaaaaa'));
    expect(Object.fromEntries(url.searchParams)).toEqual({ x: '1', utm_source: '抖音', utm_medium: 'kelu', utm_campaign: '春季DR', kelu_vid: 'visitor-aaaaaaaaaaaa', kelu_l: dy.code });

    const vid = 'visitor-aaaaaaaaaaaa';
    await click(db, dy, vid, 'https://www.douyin.com/video/1?user=secret', at);
    expect(await reportEvent(db, { publicKey: settings.publicKey, visitorId: vid, kind: 'video', eventKey: 'intro', at })).toEqual({ stored: true, points: 1, customerId: null });
    expect(await reportEvent(db, { publicKey: settings.publicKey, visitorId: vid, kind: 'video', eventKey: 'intro', at })).toEqual({ stored: false, reason: 'duplicate' });
    await reportEvent(db, { publicKey: settings.publicKey, visitorId: vid, kind: 'download', eventKey: 'brochure.pdf', at });
    expect(await reportEvent(db, { publicKey: 'pk_nobody', visitorId: vid, kind: 'demo', eventKey: 'x', at })).toEqual({ stored: false, reason: 'unknown_key' });

    const c = await createCustomer(db, 'acme', { name: '孙', identities: [{ kind: 'phone', value: '13812345678' }] }, 'test');
    expect(await joinVisitor(db, 'acme', vid, c.id, 'test', at)).toBe(3);
    expect(await joinVisitor(db, 'acme', vid, c.id, 'test', at)).toBe(0); // joining again claims nothing twice
    expect((await getCustomer(db, 'acme', c.id))!.score).toBe(3);

    // Known now: the next event adds at once, at the tenant's current points, credited to the last link clicked.
    await putPoints(db, 'acme', { video: 1, download: 2, demo: 8 });
    await click(db, wx, vid, undefined, at);
    expect(await reportEvent(db, { publicKey: settings.publicKey, visitorId: vid, kind: 'demo', eventKey: 'booking-1', at })).toEqual({ stored: true, points: 8, customerId: c.id });
    expect((await getCustomer(db, 'acme', c.id))!.score).toBe(11);

    const split = await creditWonDeal(db, 'acme', c.id, 110_000, 'test', at);
    expect(split).toEqual([
      { channel: '公众号', campaign: '春季DR', points: 8, share: 0.7273, amount: 80_000 },
      { channel: '抖音', campaign: '春季DR', points: 3, share: 0.2727, amount: 30_000 },
    ]);
    expect((await creditsOf(db, 'acme', c.id)).map((x) => x.amount)).toEqual([80_000, 30_000]);
    // Credited once: winning again replaces the split rather than adding to it.
    await creditWonDeal(db, 'acme', c.id, 110_000, 'test', at);
    const totals = await creditTotals(db, 'acme', new Date('2026-03-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z'));
    expect(totals).toEqual([{ source: '公众号', campaign: '春季DR', credit: 0.7273 }, { source: '抖音', campaign: '春季DR', credit: 0.2727 }]);
    // A team's view counts only its own customers' deals (this customer has no owner).
    expect(await creditTotals(db, 'acme', new Date('2026-03-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z'), [])).toEqual([]);
    expect(await creditTotals(db, 'other', new Date('2026-03-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z'))).toEqual([]);
    // What a click keeps: the referring host only.
    const [row] = await t.database.query<{ referrer_host: string | null }>(
      (await import('drizzle-orm')).sql`select referrer_host from link_clicks where link_id = ${dy.id}`,
    );
    expect(row!.referrer_host).toBe('www.douyin.com');
  });

  it('moves a merged customer\'s visitors, events and points to the survivor', async () => {
    const { db } = t.database;
    const { publicKey } = await getTrackingSettings(db, 'acme');
    const vid = 'visitor-mmmmmmmmmmmm';
    const a = await createCustomer(db, 'acme', { name: '甲', identities: [{ kind: 'phone', value: '13600007777' }] }, 'test');
    const b = await createCustomer(db, 'acme', { name: '甲', identities: [{ kind: 'email', value: 'jia@example.com' }] }, 'test');
    await joinVisitor(db, 'acme', vid, b.id, 'test', at);
    await reportEvent(db, { publicKey, visitorId: vid, kind: 'download', eventKey: 'm', at });
    expect((await getCustomer(db, 'acme', b.id))!.score).toBe(2);
    await db.transaction(async (tx) => mergeCustomer(tx, 'acme', (await getCustomer(tx, 'acme', a.id))!, (await getCustomer(tx, 'acme', b.id))!, 'test'));
    expect((await getCustomer(db, 'acme', a.id))!.score).toBe(2);
    await reportEvent(db, { publicKey, visitorId: vid, kind: 'video', eventKey: 'm', at });
    expect((await getCustomer(db, 'acme', a.id))!.score).toBe(3);
  });

  it('keeps tenants apart: one tenant\'s key never scores another\'s visitor', async () => {
    const { db } = t.database;
    const mine = await getTrackingSettings(db, 'other');
    const vid = 'visitor-bbbbbbbbbbbb';
    const c = await createCustomer(db, 'acme', { name: '吴' }, 'test');
    await joinVisitor(db, 'acme', vid, c.id, 'test', at);
    const r = await reportEvent(db, { publicKey: mine.publicKey, visitorId: vid, kind: 'demo', eventKey: 'x', at });
    expect(r).toEqual({ stored: true, points: 5, customerId: null });
    expect((await getCustomer(db, 'acme', c.id))!.score).toBe(0);
  });
});
