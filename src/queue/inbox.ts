import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import type { InboundEvent } from '../bot/events.js';

/**
 * The only thing a callback does before answering: one insert. A retry of the same platform event
 * hits the unique index and changes nothing.
 */
export async function storeInboundEvent(database: Database, event: InboundEvent): Promise<{ stored: boolean }> {
  const rows = await database.query<{ id: number }>(sql`
    insert into inbox_events (tenant_id, platform, event_id, kind, payload)
    values (${event.tenantId}, ${event.platform}, ${event.eventId}, ${event.kind}, ${JSON.stringify(event)}::jsonb)
    on conflict (tenant_id, platform, event_id) do nothing
    returning id
  `);
  return { stored: rows.length > 0 };
}
