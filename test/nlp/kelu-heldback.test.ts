/* The 50 held-back rows of our own set (test/nlp/data/kelu-set-heldback.jsonl), written with the other
 * 100 and to the same spec, never looked at while the engine was changed, and scored once at the end,
 * before any fix they suggest: 40/50 rows exact on every field; persons 0.843, organizations 0.850,
 * contact 0.900, budget 0.980, every other field 1.000. The floors below are that first score: later
 * fixes may raise them, never lower them. */
import { describe, expect, it } from '@jest/globals';
import { extract } from '../../src/nlp/index.js';
import { loadDemoCatalog, loadOwnSet, scoreDev } from './scoring.js';

const FIRST_SCORE: Record<string, number> = { persons: 0.843, organizations: 0.85, contact: 0.9, budget: 0.98 };

describe('kelu-set-heldback.jsonl (50 held-back messages)', () => {
  const catalog = loadDemoCatalog();
  const rows = loadOwnSet('kelu-set-heldback.jsonl');
  const { scores, misses } = scoreDev(rows, (row) => extract(row.text, { ref: row.ref, timeZone: 'Asia/Shanghai', catalog }));
  const exact = rows.filter((r) => !misses.some((m) => m.startsWith(`${r.id} `))).length;
  console.log(`kelu-set-heldback: ${exact}/${rows.length} rows exact on every field; ${misses.join('; ')}`);

  it.each(Object.keys(scores))('%s scores no lower than at the first (held-back) scoring', (field) => {
    expect(scores[field]).toBeGreaterThanOrEqual(FIRST_SCORE[field] ?? 1);
  });

  it('at least 40 of 50 rows are exact on every field (the first score)', () => {
    expect(rows).toHaveLength(50);
    expect(exact).toBeGreaterThanOrEqual(40);
  });
});
