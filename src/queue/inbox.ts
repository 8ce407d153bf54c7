import type { Database } from '../db/database.js';
import type { InboundEvent } from '../channel/events.js';

const INSERT = `insert into inbox_events (tenant_id, platform, event_id, kind, payload)
  select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[])
  on conflict (tenant_id, platform, event_id) do nothing
  returning tenant_id, platform, event_id`;

interface Waiting {
  event: InboundEvent;
  resolve(r: { stored: boolean }): void;
  reject(e: unknown): void;
}

const MAX_BATCH = 200;

/**
 * The only thing a callback does before answering: its event is inserted and committed. Callbacks
 * that arrive together share one multi-row insert (one commit, one WAL flush), and each is answered
 * only after that commit. A retry of the same platform event hits the unique index and changes nothing.
 */
export class InboxWriter {
  private pending: Waiting[] = [];
  private scheduled = false;

  constructor(private readonly database: Database) {}

  store(event: InboundEvent): Promise<{ stored: boolean }> {
    return new Promise((resolve, reject) => {
      this.pending.push({ event, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // Whatever else arrives in this turn of the event loop joins the same insert.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    while (this.pending.length) {
      const batch = this.pending.splice(0, MAX_BATCH);
      // Run batches concurrently; the pool bounds how many are in flight.
      void this.write(batch);
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    const json = batch.map((w) => stored(w));
    try {
      const rows = await this.database.prepared<{ tenant_id: string; platform: string; event_id: string }>('kelu_inbox_insert_many', INSERT, [
        batch.map((w) => w.event.tenantId),
        batch.map((w) => w.event.platform),
        batch.map((w) => w.event.eventId),
        batch.map((w) => w.event.kind),
        json,
      ]);
      const inserted = new Set(rows.map((r) => key(r.tenant_id, r.platform, r.event_id)));
      for (const w of batch) {
        // Two deliveries of one event in the same batch: the first one counts as stored.
        const k = key(w.event.tenantId, w.event.platform, w.event.eventId);
        w.resolve({ stored: inserted.delete(k) });
      }
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }
}

function key(tenantId: string, platform: string, eventId: string): string {
  return `${tenantId}\u0000${platform}\u0000${eventId}`;
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000, and a platform may deliver it (a paste from a binary
 * file): left in, the insert fails, the whole batch is refused with a 500 and the platform's retries
 * fail the same way. It is stored as U+FFFD instead, in the payload and in the event id. The scan is a
 * substring search on the JSON we write anyway; the rare event that has one is serialized again.
 */
function stored(w: Waiting): string {
  const json = JSON.stringify(w.event);
  if (!json.includes('\\u0000')) return json;
  // In keys too (a raw payload's field names are the sender's): rewrite the escape itself, where it
  // is one (after an even run of backslashes; "\\\\u0000" is a backslash and the text u0000).
  const clean = json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd');
  w.event = JSON.parse(clean) as Waiting['event'];
  return clean;
}
