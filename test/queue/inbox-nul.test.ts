import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { backends, openTestDatabase, type TestDatabase } from '../helpers/test-db.js';
import { seedTenant } from '../helpers/harness.js';
import { InboxWriter } from '../../src/queue/inbox.js';
import type { InboundEvent } from '../../src/channel/events.js';

describe.each(backends)('the inbox stores what PostgreSQL cannot hold on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(backend);
    await seedTenant(t.database);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('U+0000 in a value, a key or the event id becomes U+FFFD; a written-out \\u0000 stays text; the batch beside it is stored too', async () => {
    const w = new InboxWriter(t.database);
    const event = (eventId: string, text: string, raw: Record<string, unknown>) =>
      ({ platform: 'wecom', tenantId: 'default', eventId, at: new Date().toISOString(), sender: { userId: 'rep-li' }, conversation: { id: 'c', type: 'single' }, kind: 'text', text, raw }) as unknown as InboundEvent;
    const results = await Promise.all([
      w.store(event('nul-1\u0000', '孙主任\u0000 138', { ['key\u0000']: 'v\u0000', literal: '\\u0000' })),
      w.store(event('nul-2', '正常的一条', {})),
    ]);
    expect(results).toEqual([{ stored: true }, { stored: true }]);
    const rows = await t.database.query<{ event_id: string; payload: any }>(sql`select event_id, payload from inbox_events where event_id like 'nul-%' order by event_id`);
    expect(rows.map((r) => r.event_id)).toEqual(['nul-1\ufffd', 'nul-2']);
    expect(rows[0]!.payload.text).toBe('孙主任\ufffd 138');
    expect(rows[0]!.payload.raw).toEqual({ 'key\ufffd': 'v\ufffd', literal: '\\u0000' });
  });
});
