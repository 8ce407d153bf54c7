import type { Database } from '../db/database.js';
import type { InboundEvent } from '../bot/events.js';

const INSERT = `insert into inbox_events (tenant_id, platform, event_id, kind, payload)
  values ($1, $2, $3, $4, $5::jsonb)
  on conflict (tenant_id, platform, event_id) do nothing
  returning id`;

/**
 * The only thing a callback does before answering: one insert. A retry of the same platform event
 * hits the unique index and changes nothing.
 */
export async function storeInboundEvent(database: Database, event: InboundEvent): Promise<{ stored: boolean }> {
  const rows = await database.prepared<{ id: number }>('kelu_inbox_insert', INSERT, [event.tenantId, event.platform, event.eventId, event.kind, JSON.stringify(event)]);
  return { stored: rows.length > 0 };
}
