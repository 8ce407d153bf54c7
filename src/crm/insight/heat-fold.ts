import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { Logger } from '../../lib/logger.js';
import { rows } from './scope.js';

// The heat rows' deltas (0012) folded in: a message's transaction only appends a delta, so the hot
// row per rep and hour is written by this one job, never by two inbox batches at once. Readers add
// the deltas not folded yet, so the heat maps are exact between folds too.

const BATCH = 5000;

/** Folds up to `limit` deltas, oldest first; 0 when none, or when another instance is folding. */
export async function foldHeat(tx: Tx, limit = BATCH): Promise<number> {
  return Number((await rows<{ n: number }>(tx, sql`select insight_heat_fold(${limit}::int) as n`))[0]?.n ?? 0);
}

/** Folds batch after batch until none is left (or `more()` says stop); returns how many. */
export async function foldAllHeat(tx: Tx, more: () => boolean = () => true): Promise<number> {
  let total = 0;
  for (let n = BATCH; n === BATCH && more(); total += n) n = await foldHeat(tx, BATCH);
  return total;
}

/** Folds every `everyMs` until stopped; a tick still folding when the next is due makes that one skip. */
export function startHeatFold(db: Tx, logger: Logger, everyMs = 2000): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = foldAllHeat(db, () => !stopped)
      .catch((err: unknown) => logger.warn({ err: (err as Error)?.message }, 'heat fold failed; tried again at the next tick'))
      .finally(() => (running = null));
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
