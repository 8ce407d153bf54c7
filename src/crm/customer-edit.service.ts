import type { Tx } from '../db/database.js';
import type { FieldConflict } from '../db/schema.js';
import { conflict, notFound } from '../lib/errors.js';
import { getCustomer, updateCustomer, type Customer } from './customers.repo.js';

/** Fields a person may edit in place; each edit marks the field manual, so extraction never overwrites it. */
export const EDITABLE_FIELDS = ['name', 'title', 'company', 'tags'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
export type CustomerEdit = Partial<{ name: string | null; title: string | null; company: string | null; tags: string[] }>;

export async function editCustomer(tx: Tx, tenantId: string, id: string, edit: CustomerEdit, actor: string): Promise<Customer> {
  const c = await getCustomer(tx, tenantId, id);
  if (!c) throw notFound('customer');
  const fields = Object.keys(edit) as EditableField[];
  await updateCustomer(tx, tenantId, id, {
    ...edit,
    manualFields: [...new Set([...c.manualFields, ...fields])],
    // A value chosen by hand settles any disagreement about that field.
    conflicts: c.conflicts.filter((x) => !fields.includes(x.field as EditableField)),
  }, actor);
  return (await getCustomer(tx, tenantId, id))!;
}

/**
 * Settles one conflict. Keeping one value sets the field to it; keeping both keeps the first in the
 * field and the others under customFields.alternatives[field]. Either way the field becomes manual.
 */
export async function resolveConflict(tx: Tx, tenantId: string, id: string, field: string, keep: string[], actor: string): Promise<Customer> {
  const c = await getCustomer(tx, tenantId, id);
  if (!c) throw notFound('customer');
  const open: FieldConflict | undefined = c.conflicts.find((x) => x.field === field);
  if (!open) throw conflict('no_conflict', 'this field has no open conflict');
  const unknown = keep.filter((v) => !open.values.includes(v));
  if (unknown.length || keep.length === 0) throw conflict('not_a_conflict_value', 'keep only values of the conflict');
  const alternatives = { ...((c.customFields.alternatives as Record<string, string[]> | undefined) ?? {}) };
  if (keep.length > 1) alternatives[field] = keep.slice(1);
  else delete alternatives[field];
  const value = keep[0]!;
  const patch: Record<string, unknown> = {
    conflicts: c.conflicts.filter((x) => x !== open),
    manualFields: [...new Set([...c.manualFields, field])],
    customFields: { ...c.customFields, alternatives },
  };
  if (['name', 'title', 'company'].includes(field)) patch[field] = value;
  await updateCustomer(tx, tenantId, id, patch, actor);
  return (await getCustomer(tx, tenantId, id))!;
}
