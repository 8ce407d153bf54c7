/* Choosing among candidate spans: every rule proposes candidates with a weight (how much its
 * evidence is worth), and the best non-overlapping set is chosen once, heavier first, then earlier. */
export interface Span { index: number; end: number; weight: number }

export function chooseSpans<T extends Span>(candidates: readonly T[], length: number): { chosen: T[]; taken: Uint8Array } {
  const taken = new Uint8Array(length);
  const chosen: T[] = [];
  const order = [...candidates].sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const c of order) {
    let free = true;
    for (let k = c.index; k < c.end; k++) if (taken[k]) { free = false; break; }
    if (!free) continue;
    for (let k = c.index; k < c.end; k++) taken[k] = 1;
    chosen.push(c);
  }
  chosen.sort((a, b) => a.index - b.index);
  return { chosen, taken };
}
