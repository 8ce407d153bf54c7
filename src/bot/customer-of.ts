/* Who a captured message is about, from extraction's roles: the contact (never an addressee, who is
 * usually the rep), the organization next to the contact (else the message's only organization),
 * and the other persons the rep may pick instead from the card. */
import type { Entities, Person } from '../nlp/index.js';

export interface CustomerPick {
  /** The contact person, or null (no person, or only the addressee). */
  person: Person | null;
  company: string | null;
  /** Every other person, with its index in entities.persons: the card offers each as the customer. */
  others: Array<{ index: number; person: Person }>;
}

/** Clause punctuation: an organization "next to" the contact is in the contact's clause. */
const CLAUSE = /[，,。.！!？?；;\n]/;

export function customerOf(e: Entities, text: string): CustomerPick {
  const person = e.contact === null ? null : e.persons[e.contact] ?? null;
  const others = e.persons.map((p, index) => ({ index, person: p })).filter((o) => o.index !== e.contact);
  let company: string | null = e.organizations.length === 1 ? e.organizations[0]!.name : null;
  const at = person ? text.indexOf(person.text) : -1;
  if (at >= 0) {
    let best = Infinity;
    for (const o of e.organizations) {
      const from = text.indexOf(o.text);
      if (from < 0) continue;
      const between = from < at ? text.slice(from + o.text.length, at) : text.slice(at + person!.text.length, from);
      if (CLAUSE.test(between) || between.length >= best) continue;
      best = between.length;
      company = o.name;
    }
  }
  return { person, company, others };
}
