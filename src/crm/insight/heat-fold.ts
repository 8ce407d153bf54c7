import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { Logger } from '../../lib/logger.js';
import { rows } from './scope.js';

// The heat rows' deltas (0012) folded in: a message's transaction only appends a delta, so the hot
// row per rep and hour is written by this one job, never by two inbox batches at once. Readers add
// the deltas not folded yet, so the heat maps are exact between folds too.

/** Folds up to `limit` deltas, oldest first; 0 when none, or when another instance is folding. */
export async function foldHeat(tx: Tx, limit = 5000): Promise<number> {
  return Number((await rows<{ n: number }>(tx, sql`select insight_heat_fold(${limit}::int) as n`))[0]?.n ?? 0);
}

/** Folds every `everyMs` until stopped, a batch after a batch while there is a backlog. */
export function startHeatFold(db: Tx, logger: Logger, everyMs = 2000): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      const limit = 5000;
      while (!stopped && (await foldHeat(db, limit)) === limit);
    } catch (err) {
      logger.warn({ err: (err as Error)?.message }, 'heat fold failed; tried again at the next tick');
    }
  };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = tick().finally(() => (busy = false));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
