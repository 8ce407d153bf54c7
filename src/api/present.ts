import type { Customer } from '../crm/customers.repo.js';
import type { Role } from '../crm/users.repo.js';
import type { FieldAccess, MaskableField } from '../crm/settings.js';
import { maskDeep, maskPhone, maskPhonesInText } from '../lib/mask.js';

/**
 * The one place where fields are masked by role, on the way out: every customer the API answers
 * (lists, details, interactions, exports; the pages read the API) passes through here.
 */
export interface Viewer {
  /** null: an API key or the operator, acting for the whole tenant. */
  role: Role | null;
  userId: string | null;
  access: FieldAccess;
}

const MASKABLE = new Set<string>(['phone', 'email', 'wechat_id']);

export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

function maskValue(kind: string, value: string): string {
  if (kind === 'phone') return maskPhone(value);
  if (kind === 'email') return maskEmail(value);
  return value.length <= 2 ? '**' : `${value[0]}***${value[value.length - 1]}`;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Which fields this viewer sees masked on a customer with this owner. */
export function maskedFields(v: Viewer, ownerId: string | null): Set<MaskableField> {
  const out = new Set<MaskableField>();
  if (v.role === null || (v.userId && ownerId === v.userId)) return out;
  for (const f of Object.keys(v.access) as MaskableField[]) if (!v.access[f].includes(v.role)) out.add(f);
  return out;
}

function maskText(text: string, masked: Set<MaskableField>): string {
  let t = masked.has('phone') ? maskPhonesInText(text) : text;
  if (masked.has('email')) t = t.replace(EMAIL, (m) => maskEmail(m));
  return t;
}

function maskAny(value: unknown, masked: Set<MaskableField>): unknown {
  if (masked.size === 0) return value;
  const phonesDone = masked.has('phone') ? maskDeep(value) : value;
  if (!masked.has('email')) return phonesDone;
  return JSON.parse(JSON.stringify(phonesDone ?? null).replace(EMAIL, (m) => maskEmail(m))) as unknown;
}

export function presentCustomer(c: Customer, v: Viewer) {
  const masked = maskedFields(v, c.ownerId);
  return {
    id: c.id,
    name: c.name,
    title: c.title,
    company: c.company,
    ownerId: c.ownerId,
    tags: c.tags,
    stage: c.stage,
    score: c.score,
    sourceChannel: c.sourceChannel,
    utm: c.utm,
    customFields: c.customFields,
    conflicts: maskAny(c.conflicts, masked) as Customer['conflicts'],
    mergedInto: c.mergedInto,
    identities: c.identities.map((i) => ({
      kind: i.kind,
      value: MASKABLE.has(i.kind) && masked.has(i.kind as MaskableField) ? maskValue(i.kind, i.value) : i.value,
      ...(MASKABLE.has(i.kind) && masked.has(i.kind as MaskableField) ? { masked: true } : {}),
    })),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export interface InteractionLike {
  id: string; channel: string; direction: string; authorId: string | null; text: string;
  platform: string | null; platformMessageId: string | null; occurredAt: Date; entities: Record<string, unknown> | null; createdAt: Date;
}

export function presentInteraction(i: InteractionLike, ownerId: string | null, v: Viewer) {
  const masked = maskedFields(v, ownerId);
  return {
    id: i.id, channel: i.channel, direction: i.direction, authorId: i.authorId, text: maskText(i.text, masked),
    platform: i.platform, platformMessageId: i.platformMessageId, occurredAt: i.occurredAt.toISOString(),
    entities: maskAny(i.entities, masked) as Record<string, unknown> | null, createdAt: i.createdAt.toISOString(),
  };
}

export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join('|') : String(v);
  // A leading = + - @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const CUSTOMER_CSV_HEADER = ['id', 'name', 'company', 'title', 'owner_id', 'stage', 'tags', 'phones', 'emails', 'wechat_ids', 'created_at'];

export function customerCsvRow(view: ReturnType<typeof presentCustomer>): string {
  const of = (k: string) => view.identities.filter((i) => i.kind === k).map((i) => i.value);
  return [view.id, view.name, view.company, view.title, view.ownerId, view.stage, view.tags, of('phone'), of('email'), of('wechat_id'), view.createdAt].map(csvCell).join(',');
}
