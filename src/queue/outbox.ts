import { createHash } from 'node:crypto';
import { runPrepared, type Tx } from '../db/database.js';
import type { OutboundMessage } from '../channel/messages.js';
import type { Deliverer } from '../channel/adapter.js';
import type { Outbound, OutsideResult, QueueRow } from './worker.js';
import { PlatformApiError } from '../lib/platform-error.js';


/**
 * Queues a message in the caller's transaction. The dedupe key makes a re-run of the same handler
 * (a redelivered event) enqueue nothing new.
 */
const INSERT = `insert into outbox_messages (tenant_id, platform, dedupe_key, kind, payload)
  values ($1, $2, $3, $4, $5::jsonb)
  on conflict (tenant_id, platform, dedupe_key) do nothing
  returning id`;

export async function enqueueOutbound(tx: Tx, msg: OutboundMessage, dedupeKey: string): Promise<boolean> {
  const rows = await runPrepared(tx, 'kelu_outbox_insert', INSERT, [msg.tenantId, msg.platform, dedupeKey, msg.reply.kind, JSON.stringify(msg)]);
  return rows.length > 0;
}

/** Messages as outbox rows for a queue handler to return (see QueueWorker): same keys as enqueueOutbound. */
export function outboundRows(messages: OutboundMessage[], keyPrefix: string): Outbound[] {
  return messages.map((m, i) => ({ tenantId: m.tenantId, platform: m.platform, kind: m.reply.kind, dedupeKey: `${keyPrefix}:${i}`, payload: m }));
}

/**
 * A message's idempotency key on its platform (DingTalk's cardBizId, say): the same on every attempt of one
 * outbox row, and not the same for two rows, also across databases (a reset one counts its ids from 1 again,
 * so the id alone could make DingTalk drop a new message as a repeat of an old one).
 */
export function deliveryKey(id: number | string, payload: unknown): string {
  return `kelu${createHash('sha256').update(`${String(id)}\u0000${JSON.stringify(payload)}`).digest('hex').slice(0, 28)}`;
}

export class DelivererRegistry {
  private readonly byPlatform = new Map<string, Deliverer>();

  private override?: (tenantId: string, platform: string) => Deliverer | undefined;

  register(platform: string, d: Deliverer): void {
    this.byPlatform.set(platform, d);
  }

  /** A deliverer for some tenants' rows in place of the platform's (the demo tenant's playground). */
  routeBy(fn: (tenantId: string, platform: string) => Deliverer | undefined): void {
    this.override = fn;
  }

  /** The outbox worker's network step, outside any transaction. */
  async send(row: QueueRow): Promise<OutsideResult> {
    const msg = row.payload as OutboundMessage;
    const d = this.override?.(msg.tenantId, msg.platform) ?? this.byPlatform.get(msg.platform);
    if (!d) return { ok: false, error: `no deliverer for platform ${msg.platform}`, retryable: true };
    try {
      // attempts counts claims: above 1, an earlier claim may have sent it (see DeliveryAttempt).
      const result = (await d.deliver(msg, { key: deliveryKey(row.id, row.payload), retry: row.attempts > 1 })) ?? {};
      return { ok: true, result, commitAlone: !d.suppressesDuplicates };
    } catch (e) {
      if (e instanceof PlatformApiError) return { ok: false, error: `${e.message}${e.code !== undefined ? ` (code ${e.code})` : ''}`, retryable: e.retryable };
      // Unknown failures are treated as transient: retried with backoff, then parked as dead.
      return { ok: false, error: e instanceof Error ? e.message : String(e), retryable: true };
    }
  }
}
