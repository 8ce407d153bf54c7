/* Shared by the message tables (test/nlp/rows/*.rows.ts): the row shape, and the suite that runs
 * every table's rows and asserts one behaviour's fields (persons, dates, money …) where a row names them. */
import { describe, expect, it } from '@jest/globals';
import { extract, type Entities } from '../../src/nlp/index.js';
import { loadDemoCatalog } from './scoring.js';

/** Tuesday 2026-03-10 10:00 Shanghai: every row's reference moment unless it names its own. */
export const REF = '2026-03-10T10:00:00+08:00';
export const d = (day: string, time = '00:00', year = '2026'): string => `${year}-${day}T${time}:00+08:00`;

export type Level = 'high' | 'medium' | 'low';
export type DateRow = [string, string | null, string];
export interface Row {
  text: string;
  ref?: string;
  persons?: Array<[string, string | null]>;
  /** Names only, for rows whose title is written in Traditional characters. */
  personNames?: string[];
  phones?: string[];
  emails?: string[];
  wechatIds?: string[];
  orgs?: string[];
  products?: string[];
  dates?: DateRow[];
  budget?: [number | null, number | null, string] | null;
  urgency?: Level;
  intent?: Level;
}

/** Fields a full row may name; everything it does not name is asserted empty. */
export type Fields = Omit<Row, 'text' | 'personNames' | 'urgency' | 'intent'>;

/** A full row, as the dev set asserts them: every field the row does not name is asserted
 * empty ([] or null), so false positives count as much as misses. */
export const fullRow = (text: string, urgency: Level, intent: Level, f: Fields = {}): Row => ({
  text, persons: [], phones: [], emails: [], wechatIds: [], orgs: [], products: [], dates: [], budget: null,
  ...f, urgency, intent,
});
export const day = (md: string, year?: string): DateRow => [d(md, '00:00', year), null, 'day'];
export const at = (md: string, time: string, grain: 'hour' | 'minute' = 'hour', year?: string): DateRow => [d(md, time, year), null, grain];

export const catalog = loadDemoCatalog();

/** The asserted fields of a row, projected from the engine's answer. */
function project(row: Row, e: Entities): Partial<Row> {
  const out: Partial<Row> = {};
  if (row.persons) out.persons = e.persons.map((p) => [p.name, p.title]);
  if (row.personNames) out.personNames = e.persons.map((p) => p.name);
  if (row.phones) out.phones = e.phones;
  if (row.emails) out.emails = e.emails;
  if (row.wechatIds) out.wechatIds = e.wechatIds;
  if (row.orgs) out.orgs = e.organizations.map((o) => o.name);
  if (row.products) out.products = e.products.map((p) => p.id);
  if (row.dates) out.dates = e.dates.map((x) => [x.start, x.end, x.grain]);
  if (row.budget !== undefined) out.budget = e.budget && [e.budget.min, e.budget.max, e.budget.currency];
  if (row.urgency) out.urgency = e.urgency.level;
  if (row.intent) out.intent = e.intent.level;
  return out;
}

const run = (row: Row): Entities => extract(row.text, { ref: row.ref ?? REF, timeZone: 'Asia/Shanghai', catalog });

/** Row fields grouped by the behaviour they test. */
export type Field = keyof Omit<Row, 'text' | 'ref'>;

/** One test per row of every table that names one of `fields`, asserting only those fields. */
export function fieldSuite(title: string, fields: Field[], tables: ReadonlyArray<readonly [string, Row[]]>): void {
  describe(title, () => {
    const rows = tables.flatMap(([table, list]) => list
      .filter((r) => fields.some((f) => r[f] !== undefined))
      .map((r) => [`${table}: ${r.text}`, r] as const));
    it.each(rows)('%s', (_name, row) => {
      const pick = (x: Partial<Row>): Partial<Row> => Object.fromEntries(fields.filter((f) => row[f] !== undefined).map((f) => [f, x[f]]));
      expect(pick(project(row, run(row)))).toEqual(pick(row));
    });
  });
}
