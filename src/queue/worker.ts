import { sql } from 'drizzle-orm';
import { runPrepared, type Database, type Tx } from '../db/database.js';
import type { Logger } from '../lib/logger.js';

/**
 * A durable work queue on a table with (status, attempts, next_attempt_at, locked_until, last_error).
 * Rows are claimed with FOR UPDATE SKIP LOCKED under a lease, so several workers and several
 * instances share one table; a worker that dies leaves a lease that expires and the row is retried.
 * Handlers run in the same transaction that marks the row done: their writes and the ack commit together.
 */
export interface QueueRow {
  id: number;
  tenantId: string;
  attempts: number;
  [k: string]: unknown;
}

export type Outcome = { ok: true } | { ok: false; error: string; retryable: boolean };
/** An outbox row a handler wants queued; written by the statement that marks its row done. */
export interface Outbound {
  tenantId: string;
  platform: string;
  kind: string;
  dedupeKey: string;
  payload: unknown;
}
export type OutsideResult = Outcome & {
  result?: Record<string, unknown>;
  /**
   * Commit this row as done right after its outside step instead of with its batch: a send the
   * platform would not recognise as a duplicate, so a crash must leave as few of them in doubt as it can.
   */
  commitAlone?: boolean;
};

export interface WorkerOptions {
  table: 'inbox_events' | 'outbox_messages';
  name: string;
  concurrency?: number;
  batchSize?: number;
  leaseMs?: number;
  idlePollMs?: number;
  maxAttempts?: number;
  /** Backoff before attempt n+1 (ms). */
  backoff?: (attempts: number) => number;
  /** Runs after a row's transaction committed (e.g. wake the outbox). */
  onDone?: (row: QueueRow) => void;
  /**
   * While this says the process is busy acknowledging callbacks, wait a little before claiming:
   * platforms give a hard deadline for the acknowledgement, processing only has to catch up.
   */
  yieldWhile?: () => boolean;
  /**
   * The longest pause per batch while yieldWhile() holds. Under a burst processing cannot keep up
   * anyway, and the backlog is finished no later for having let the acknowledgements go first.
   */
  yieldMaxMs?: number;
  /**
   * While this holds, claim nothing at all (unbounded): a fresh process leaves the backlog to warm
   * instances while it is acknowledging callbacks, so its first acknowledgements never wait behind
   * cold processing.
   */
  holdWhile?: () => boolean;
  /** While this holds, claim one row at a time (a fresh process: one cold message per event-loop turn). */
  singleWhile?: () => boolean;
}

export const defaultBackoff = (attempts: number) => Math.min(5 * 60_000, 500 * 2 ** Math.min(attempts, 12)) * (0.75 + Math.random() * 0.5);

export class QueueWorker {
  private running = false;
  private loops: Promise<void>[] = [];
  private wake: (() => void) | null = null;
  private pendingWake = false;
  private active = 0;
  readonly opts: Required<WorkerOptions>;

  constructor(
    private readonly database: Database,
    /**
     * Runs in the row's transaction. Outbox rows it returns are inserted (deduplicated on their key)
     * by the same statement that marks the row done, so they commit with it at no extra round trip.
     */
    private readonly handle: (tx: Tx, row: QueueRow, outside: OutsideResult) => Promise<Outbound[] | void>,
    private readonly logger: Logger,
    opts: WorkerOptions,
    /** Called outside the row's transaction for work that must not hold it (network sends). */
    private readonly handleOutside?: (row: QueueRow) => Promise<OutsideResult>,
  ) {
    this.opts = {
      concurrency: 1,
      batchSize: 10,
      leaseMs: 30_000,
      idlePollMs: 250,
      maxAttempts: 8,
      backoff: defaultBackoff,
      onDone: () => undefined,
      yieldWhile: () => false,
      yieldMaxMs: 2000,
      holdWhile: () => false,
      singleWhile: () => false,
      ...opts,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (let i = 0; i < this.opts.concurrency; i++) this.loops.push(this.loop());
  }

  /** Something was just enqueued in this process: look now instead of at the next poll. */
  notify(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  /** Stops claiming; resolves when claimed rows are finished. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await Promise.all(this.loops);
    this.loops = [];
  }

  get busy(): number {
    return this.active;
  }

  /** Claims and processes at most one batch; returns how many rows it handled. For tests and drains. */
  async runOnce(limit = this.opts.batchSize): Promise<number> {
    const rows = await this.claim(limit);
    if (rows.length === 1) await this.process(rows[0]!);
    else if (rows.length > 1) await this.processBatch(rows);
    return rows.length;
  }

  /**
   * Rows without an outside step (inbox): several rows in one transaction, one durable commit for
   * the batch instead of one per row; if the batch as a whole cannot commit, every row is finished
   * on its own. Rows with one (outbox sends): one claim for the batch, the sends one after the
   * other, then one commit, except sends whose outcome says commitAlone (each committed at once).
   */
  private async processBatch(rows: QueueRow[]): Promise<void> {
    this.active += rows.length;
    try {
      const ready: { row: QueueRow; outcome: OutsideResult }[] = [];
      // One lease covers the whole batch, but its outside steps (platform sends) run one after the
      // other: a slow platform could outlast the lease, another worker would claim the rest and
      // send them a second time. Renew the lease of the batch's rows at half-time; a row that is
      // no longer ours is left to its new owner, not sent.
      let leaseFrom = Date.now();
      let ours = new Set(rows.map((r) => String(r.id)));
      for (const row of rows) {
        if (this.handleOutside && Date.now() - leaseFrom > this.opts.leaseMs / 2) {
          // The rows sent but not yet committed as well: they are marked done when the batch commits.
          const held = [...ready.map((r) => r.row), ...rows.slice(rows.indexOf(row)).filter((r) => ours.has(String(r.id)))];
          leaseFrom = Date.now();
          ours = new Set(await this.renewLease(held));
        }
        if (!ours.has(String(row.id))) continue;
        let outcome: OutsideResult = { ok: true };
        if (this.handleOutside) outcome = await this.handleOutside(row).catch((e: unknown) => ({ ok: false as const, error: errText(e), retryable: true }));
        if (!outcome.ok) await this.fail(row, outcome.error, outcome.retryable);
        else if (outcome.commitAlone) {
          // Marked sent in its own transaction right after the send, not with the batch: a crash
          // (kill -9) mid-batch then leaves at most this one row in doubt, not every row sent so far
          // — on a platform without duplicate suppression (DingTalk session replies) they would all
          // be shown twice (bench:chaos, one commit per batch: 2, 2 and 1 doubled in three runs).
          // Platforms that suppress duplicates keep the batch's single commit (bench:pipeline with
          // one commit per send for every platform: 93-104 messages/s against 122, acknowledge->lead
          // p50 13-15 s against 0.7 s, on a loaded machine).
          await this.finish(row, outcome);
        } else ready.push({ row, outcome });
      }
      if (this.handleOutside && ready.length && Date.now() - leaseFrom > this.opts.leaseMs / 2) {
        const still = new Set(await this.renewLease(ready.map((r) => r.row)));
        ready.splice(0, ready.length, ...ready.filter((r) => still.has(String(r.row.id))));
      }
      if (ready.length === 0) return;
      let committed: QueueRow[] = [];
      try {
        await this.database.db.transaction(async (tx) => {
          // No savepoint per row (two round trips each): a failing row aborts the batch, and the
          // fallback below then isolates it by processing every row on its own.
          const outbound: Outbound[] = [];
          for (const r of ready) outbound.push(...((await this.handle(tx, r.row, r.outcome)) ?? []));
          await this.markDone(tx, ready, outbound);
          committed = ready.map((r) => r.row);
        });
      } catch (err) {
        // Fall back to one transaction per row: the slow path is also the exact one. The outside
        // step (the platform send) already happened for these rows and is not repeated: only
        // their transactions run again, each on its own.
        if (!(err instanceof LeaseLost)) this.logger.warn({ queue: this.opts.name, err: errText(err) }, 'batch failed; processing rows one by one');
        for (const r of ready) await this.finish(r.row, r.outcome);
        return;
      }
      for (const row of committed) this.opts.onDone(row);
    } finally {
      this.active -= rows.length;
    }
  }

  private async loop(): Promise<void> {
    while (this.running) {
      while (this.running && this.opts.holdWhile()) await new Promise((r) => setTimeout(r, 20));
      // A bounded pause per batch, so a long burst slows processing but never starves it.
      for (let waited = 0; waited < this.opts.yieldMaxMs && this.running && this.opts.yieldWhile(); waited += 20) await new Promise((r) => setTimeout(r, 20));
      let n = 0;
      try {
        n = await this.runOnce(this.opts.singleWhile() ? 1 : this.opts.batchSize);
      } catch (err) {
        this.logger.error({ err, queue: this.opts.name }, 'queue poll failed');
      }
      if (n === 0 && this.running) {
        if (this.pendingWake) {
          this.pendingWake = false;
          continue;
        }
        await new Promise<void>((res) => {
          const t = setTimeout(res, this.opts.idlePollMs);
          this.wake = () => {
            clearTimeout(t);
            res();
          };
        });
        this.wake = null;
        this.pendingWake = false;
      }
    }
  }

  private async claim(limit: number): Promise<QueueRow[]> {
    const t = this.opts.table;
    // Two index-ordered reads (due rows; expired leases) instead of one OR: an OR with ORDER BY
    // reads and sorts the whole backlog on every claim, which slows claims as the backlog grows.
    const rows = await this.database.prepared<QueueRow>(`kelu_claim_${t}`, `
      with due as (
        select id from ${t} where status = 'pending' and next_attempt_at <= now()
        order by next_attempt_at, id limit $2 for update skip locked
      ), expired as (
        select id from ${t} where status = 'processing' and locked_until < now()
        order by locked_until limit $2 for update skip locked
      )
      update ${t} set status = 'processing', attempts = attempts + 1, locked_until = now() + $1::interval
      where id in (select id from due union all select id from expired)
      returning id, tenant_id as "tenantId", attempts, platform, kind, payload`, [`${Math.ceil(this.opts.leaseMs)} milliseconds`, limit]);
    // Oldest first within the batch, as they arrived.
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  }

  private async process(row: QueueRow): Promise<void> {
    this.active++;
    try {
      let outcome: OutsideResult = { ok: true };
      if (this.handleOutside) outcome = await this.handleOutside(row).catch((e: unknown) => ({ ok: false as const, error: errText(e), retryable: true }));
      if (!outcome.ok) {
        await this.fail(row, outcome.error, outcome.retryable);
        return;
      }
      await this.finish(row, outcome);
    } finally {
      this.active--;
    }
  }

  /** The row's transaction after its outside step succeeded: the handler's writes and the ack commit together. */
  private async finish(row: QueueRow, outcome: OutsideResult): Promise<void> {
    // After an outside step (a platform send) the row is done as far as the user can see: a commit
    // that fails (the database restarting, a dropped connection) is tried again for a while, not
    // turned into a second send. Only then is it failed, and its next attempt is a retry that
    // carries the platform's duplicate suppression where there is one (bench:chaos: a PostgreSQL
    // restart right after a batch of DingTalk session replies sent 2 of them twice).
    const delays = this.handleOutside ? [250, 500, 1000, 2000, 4000].filter((_, i, a) => a.slice(0, i + 1).reduce((x, y) => x + y, 0) < this.opts.leaseMs / 2) : [];
    for (let k = 0; ; k++) {
      try {
        await this.database.db.transaction(async (tx) => {
          const outbound = (await this.handle(tx, row, outcome)) ?? [];
          await this.markDone(tx, [{ row, outcome }], outbound);
        });
        this.opts.onDone(row);
        return;
      } catch (err) {
        if (err instanceof LeaseLost) {
          this.logger.warn({ queue: this.opts.name, id: row.id }, 'lease lost: another worker owns this item now; rolled back');
          return;
        }
        if (k < delays.length && this.running) {
          await new Promise((r) => setTimeout(r, delays[k]));
          continue;
        }
        await this.fail(row, errText(err), (err as { retryable?: boolean }).retryable !== false);
        return;
      }
    }
  }

  /**
   * Done only if the lease is still ours: a late finisher (its lease expired and the row was claimed
   * again) matches fewer rows and rolls its whole transaction back. Outbox rows also keep the
   * platform's answer and the attempt in their log, in the same statement.
   */
  private async markDone(tx: Tx, items: { row: QueueRow; outcome: OutsideResult }[], outbound: Outbound[]): Promise<void> {
    const t = this.opts.table;
    const extra = t === 'outbox_messages'
      ? `, sent_at = now(), result = d.result, attempt_log = attempt_log || jsonb_build_array(jsonb_build_object('at', now(), 'ok', true))`
      : `, processed_at = now()`;
    const rows = await runPrepared(tx, `kelu_done_${t}`, `
      with queued as (
        insert into outbox_messages (tenant_id, platform, dedupe_key, kind, payload)
        select o.v->>'tenant_id', o.v->>'platform', o.v->>'dedupe_key', o.v->>'kind', o.v->'payload'
        from jsonb_array_elements($4::jsonb) with ordinality as o(v, n)
        order by o.n
        on conflict (tenant_id, platform, dedupe_key) do nothing
      )
      update ${t} q set status = 'done', locked_until = null, last_error = null ${extra}
      from (select * from unnest($1::bigint[], $2::int[]) with ordinality as u(id, attempts, n)
            join lateral (select $3::jsonb -> (u.n::int - 1) as result) r on true) d
      where q.id = d.id and q.attempts = d.attempts and q.status = 'processing'
      returning q.id`, [
      `{${items.map((i) => i.row.id).join(',')}}`,
      `{${items.map((i) => i.row.attempts).join(',')}}`,
      JSON.stringify(items.map((i) => i.outcome.result ?? {})),
      JSON.stringify(outbound.map((o) => ({ tenant_id: o.tenantId, platform: o.platform, dedupe_key: o.dedupeKey, kind: o.kind, payload: o.payload }))),
    ]);
    if (rows.length !== items.length) throw new LeaseLost();
  }

  /** Extends the lease of rows still claimed by this attempt; returns the ids that are still ours. */
  private async renewLease(rows: QueueRow[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const t = this.opts.table;
    const renewed = await this.database.prepared<{ id: number }>(`kelu_renew_${t}`, `
      update ${t} q set locked_until = now() + $3::interval
      from unnest($1::bigint[], $2::int[]) as u(id, attempts)
      where q.id = u.id and q.attempts = u.attempts and q.status = 'processing'
      returning q.id`, [`{${rows.map((r) => r.id).join(',')}}`, `{${rows.map((r) => r.attempts).join(',')}}`, `${Math.ceil(this.opts.leaseMs)} milliseconds`]);
    return renewed.map((r) => String(r.id));
  }

  private async fail(row: QueueRow, error: string, retryable: boolean): Promise<void> {
    const t = sql.raw(this.opts.table);
    const dead = !retryable || row.attempts >= this.opts.maxAttempts;
    const next = new Date(Date.now() + this.opts.backoff(row.attempts));
    this.logger.warn({ queue: this.opts.name, id: row.id, attempts: row.attempts, retryable, dead, error: error.slice(0, 300) }, 'queue item failed');
    const attemptLog = this.opts.table === 'outbox_messages'
      ? sql`, attempt_log = attempt_log || ${JSON.stringify([{ at: new Date().toISOString(), ok: false, error: error.slice(0, 300), retryable }])}::jsonb`
      : sql``;
    await this.database.query(sql`
      update ${t} set status = ${dead ? (retryable ? 'dead' : 'failed') : 'pending'}, next_attempt_at = ${next}, locked_until = null,
        last_error = ${error.slice(0, 1000)} ${attemptLog}
      where id = ${row.id} and attempts = ${row.attempts}
    `);
  }
}

class LeaseLost extends Error {}

export function errText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
