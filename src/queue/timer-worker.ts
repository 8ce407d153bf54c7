import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/database.js';
import type { Logger } from '../lib/logger.js';
import type { Timer } from '../crm/timers.repo.js';
import { errText } from './worker.js';

/**
 * Fires durable timers: one due row at a time, claimed with SKIP LOCKED, handled and marked fired in
 * the same transaction, so a timer fires once across restarts and instances. The clock is injected
 * so tests can move time.
 */
export class TimerWorker {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly database: Database,
    private readonly handle: (tx: Tx, timer: Timer) => Promise<void>,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly pollMs = 1000,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Fires every timer due now; returns how many fired. */
  async runDue(max = 100): Promise<number> {
    let n = 0;
    while (n < max) {
      const fired = await this.fireOne();
      if (fired === null) break;
      n++;
    }
    return n;
  }

  private async fireOne(): Promise<Timer | null> {
    const now = this.now();
    try {
      return await this.database.db.transaction(async (tx) => {
        const rows = ((await tx.execute(sql`
          select id, tenant_id as "tenantId", kind, ref_id as "refId", fire_at as "fireAt", payload, status
          from timers where status = 'pending' and fire_at <= ${now}
          order by fire_at, id limit 1 for update skip locked
        `)) as unknown as { rows: Timer[] }).rows;
        const t = rows[0];
        if (!t) return null;
        await this.handle(tx, { ...t, fireAt: new Date(t.fireAt) });
        await tx.execute(sql`update timers set status = 'fired', fired_at = ${now} where id = ${t.id}`);
        return t;
      });
    } catch (err) {
      // The transaction rolled back: the timer stays pending and is tried at the next poll.
      this.logger.error({ err: errText(err) }, 'timer failed');
      return null;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.runDue();
      await new Promise<void>((res) => {
        const t = setTimeout(res, this.pollMs);
        this.wake = () => {
          clearTimeout(t);
          res();
        };
      });
    }
  }
}
