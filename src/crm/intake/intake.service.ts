import { randomBytes } from 'node:crypto';
import type { Database, Tx } from '../../db/database.js';
import type { SecretBox } from '../../lib/secret-box.js';
import { badRequest, conflict } from '../../lib/errors.js';
import { recordAudit } from '../audit.repo.js';
import { normalizeIdentity } from '../identity.js';
import { joinVisitor } from '../tracking/tracking.service.js';
import { VISITOR_ID } from '../tracking/tracking.types.js';
import { claimDelivery, finishDelivery, insertSource, noteUnknownField, resolveNotices, updateMapping, type IntakeSource } from './intake.repo.js';
import { contentId, knownNames, mapRecord, recordsOf } from './intake.mapper.js';
import { PRESETS } from './intake.presets.js';
import type { MappedLead, SourceMapping, TargetField } from './intake.types.js';

/** What the route gives the service to capture one lead: the same capture and identity path as a chat lead. */
export interface LeadCapture {
  (tx: Tx, lead: { tenantId: string; text: string; given: Partial<Record<TargetField, string>>; sourceChannel: string; campaign: string | null; eventId: string; actor: string }): Promise<{ customerId: string; leadId: string } | null>;
}

/** Tells the tenant's admins, in chat, which fields a source began sending that its mapping does not know. */
export type UnknownFieldsNotice = (tx: Tx, source: IntakeSource, fields: string[]) => Promise<void>;

export interface PushResult {
  received: number;
  captured: number;
  uncaptured: number;
  duplicates: number;
  unknownFields: string[];
}

export async function createSource(tx: Tx, box: SecretBox, tenantId: string, s: { name: string; preset: string; slug?: string }, actor: string): Promise<{ source: IntakeSource; secrets: Record<string, string> }> {
  const preset = PRESETS[s.preset];
  if (!preset) throw badRequest('unknown_preset', `preset must be one of ${Object.keys(PRESETS).join(', ')}`);
  const secrets = Object.fromEntries(preset.secrets.map((k) => [k, randomBytes(24).toString('base64url')]));
  const slug = s.slug ?? `${preset.key}-${randomBytes(3).toString('hex')}`;
  const source = await insertSource(tx, tenantId, { slug, name: s.name, preset: preset.key, mapping: structuredClone(preset.mapping), secrets: box.sealJson(secrets) }, actor);
  if (!source) throw conflict('slug_taken', `this tenant already has a source called ${slug}`);
  await recordAudit(tx, tenantId, { actor, action: 'intake.source.create', entityType: 'tenant', entityId: tenantId, after: { id: source.id, slug, preset: preset.key } });
  return { source, secrets };
}

/** A new mapping (the admin edited it): notices for fields it now knows are resolved. */
export async function changeMapping(tx: Tx, source: IntakeSource, mapping: SourceMapping, actor: string, at: Date): Promise<void> {
  await updateMapping(tx, source.tenantId, source.id, mapping, at);
  await resolveNotices(tx, source.tenantId, source.id, [...knownNames(mapping)], at);
  await recordAudit(tx, source.tenantId, { actor, action: 'intake.mapping.update', entityType: 'tenant', entityId: source.tenantId, before: { source: source.slug, mapping: source.mapping }, after: { source: source.slug, mapping } });
}

/** Teaches the mapping one field: as one of ours (first choice for it) or as known and kept raw. */
export function teach(mapping: SourceMapping, field: string, as: TargetField | 'known'): SourceMapping {
  const m = structuredClone(mapping);
  if (as === 'known') m.known = [...new Set([...m.known, field])];
  else m.fields[as] = [field, ...(m.fields[as] ?? []).filter((x) => x !== field)];
  return m;
}

// A value the mapping calls a phone or e-mail but is not one stays in the lead text (and raw), never lost.
function usable(lead: MappedLead): MappedLead {
  const given = { ...lead.given };
  const extra: string[] = [];
  for (const [f, kind] of [['phone', 'phone'], ['email', 'email']] as const) {
    if (!given[f]) continue;
    try {
      normalizeIdentity(kind, given[f]);
    } catch {
      extra.push(`${f}：${given[f]}`);
      delete given[f];
    }
  }
  if (given.visitorId && !VISITOR_ID.test(given.visitorId)) delete given.visitorId;
  return { ...lead, given, text: [lead.text, ...extra].filter(Boolean).join('\n') };
}

/**
 * One verified push: each lead in it is stored raw, then captured through the chat capture path, each in its
 * own transaction, so one bad lead never loses the others. A lead with nothing to capture is kept as
 * "uncaptured"; a field the mapping does not know becomes a notice for the admin (and an audit row the
 * first time), never a rejection.
 */
export async function receivePush(database: Database, source: IntakeSource, body: unknown, capture: LeadCapture, now: () => Date, notify?: UnknownFieldsNotice): Promise<PushResult> {
  const out: PushResult = { received: 0, captured: 0, uncaptured: 0, duplicates: 0, unknownFields: [] };
  const unknownSeen = new Set<string>();
  const actor = `intake:${source.slug}`;
  for (const rec of recordsOf(body, source.mapping)) {
    out.received++;
    const mapped = usable(mapRecord(rec, source.mapping));
    const externalId = mapped.externalId ?? contentId(rec);
    const base = { tenantId: source.tenantId, sourceId: source.id, externalId, raw: rec, unknownFields: mapped.unknown.map((u) => u.field), receivedAt: now() };
    let status: 'captured' | 'uncaptured' | 'duplicate';
    try {
      status = await database.db.transaction(async (tx) => {
        const id = await claimDelivery(tx, { ...base, status: 'uncaptured' });
        if (!id) return 'duplicate' as const;
        await noteUnknown(tx, source, mapped, actor, now(), notify);
        const got = await capture(tx, {
          tenantId: source.tenantId, text: mapped.text, given: mapped.given, sourceChannel: source.mapping.sourceChannel,
          campaign: mapped.given.campaign ?? null, eventId: `${source.slug}:${externalId}`, actor,
        });
        if (!got) return 'uncaptured' as const;
        if (mapped.given.visitorId) await joinVisitor(tx, source.tenantId, mapped.given.visitorId, got.customerId, actor, now());
        await finishDelivery(tx, source.tenantId, id, { status: 'captured', customerId: got.customerId, leadId: got.leadId });
        return 'captured' as const;
      });
    } catch {
      // Capture failed (a conflict, a bug): the lead is still kept, raw, for the admin to see.
      status = await database.db.transaction(async (tx) => {
        const id = await claimDelivery(tx, { ...base, status: 'uncaptured' });
        if (id) await noteUnknown(tx, source, mapped, actor, now(), notify);
        return id ? 'uncaptured' as const : 'duplicate' as const;
      });
    }
    if (status === 'duplicate') out.duplicates++;
    else out[status]++;
    if (status !== 'duplicate') mapped.unknown.forEach((u) => unknownSeen.add(u.field));
  }
  out.unknownFields = [...unknownSeen];
  return out;
}

async function noteUnknown(tx: Tx, source: IntakeSource, mapped: MappedLead, actor: string, at: Date, notify?: UnknownFieldsNotice): Promise<void> {
  const fresh: string[] = [];
  for (const u of mapped.unknown) {
    const first = await noteUnknownField(tx, source.tenantId, source.id, u.field, u.sample, at);
    if (!first) continue;
    fresh.push(u.field);
    await recordAudit(tx, source.tenantId, { actor, action: 'intake.unknown_field', entityType: 'tenant', entityId: source.tenantId, after: { source: source.slug, name: source.name, field: u.field } });
  }
  if (fresh.length && notify) await notify(tx, source, fresh);
}
