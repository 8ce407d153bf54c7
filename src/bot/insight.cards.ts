import type { Tx } from '../db/database.js';
import type { Timer } from '../crm/timers.repo.js';
import type { OutboundMessage } from '../channel/messages.js';
import type { FlowDeps } from './flow.js';

/** Threshold alert cards (daily) and the weekly report card (Mondays) to managers. */
export async function insightCards(_tx: Tx, _deps: FlowDeps, _timer: Timer, _now: Date, _timeZone: string): Promise<OutboundMessage[]> {
  return [];
}
