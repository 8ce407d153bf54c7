import { z } from 'zod';

/** What a mapped field becomes: the same fields POST /api/v1/leads takes, plus the ad's campaign and the visitor id. */
export const TARGET_FIELDS = ['name', 'phone', 'email', 'wechatId', 'company', 'region', 'text', 'campaign', 'visitorId'] as const;
export type TargetField = (typeof TARGET_FIELDS)[number];

const path = z.string().trim().min(1).max(100).regex(/^[^.\s][^\s]*$/, 'a field path is key or key.sub');

/**
 * How a source signs a push, as data: an HMAC of a message built from the body, a field, a header or a
 * secret (`{body}`, `{field.id}`, `{header.timestamp}`, `{secret.token}`), compared with a header.
 */
export const signatureSpec = z.object({
  header: z.string().trim().min(1).max(60),
  algorithm: z.enum(['hmac-sha256', 'hmac-sha1']),
  encoding: z.enum(['hex', 'base64']),
  message: z.string().min(1).max(200),
  /** The signature header's value may carry a prefix such as `sha256=`. */
  prefix: z.string().max(20).default(''),
  /** Which secret keys the HMAC. */
  key: z.string().min(1).max(30).default('key'),
  timestampHeader: z.string().trim().min(1).max(60).optional(),
  maxSkewSeconds: z.number().int().min(30).max(86_400).default(300),
  /** A header that must equal a secret as it is (e.g. an access token), checked in constant time. */
  tokenHeader: z.object({ header: z.string().trim().min(1).max(60), secret: z.string().min(1).max(30) }).strict().optional(),
}).strict();
export type SignatureSpec = z.infer<typeof signatureSpec>;

export const sourceMapping = z.object({
  /** Where the leads are: '' = the body (one lead, or an array of them); else a path to an array. */
  records: z.array(z.string().max(100)).min(1).max(5).default(['']),
  /** The source's own id of a lead (first one present); a retry of the same id is a no-op. */
  externalId: z.array(path).max(5).default([]),
  /** For each of our fields, the source's names for it, first present wins (a renamed field: add its new name). */
  fields: z.object(Object.fromEntries(TARGET_FIELDS.map((f) => [f, z.array(path).max(10).optional()])) as Record<TargetField, z.ZodOptional<z.ZodArray<typeof path>>>).strict(),
  /** Objects whose entries are the form's own questions: added to the lead text as "question：answer". */
  extras: z.array(path).max(10).default([]),
  /** Fields the source sends that we keep raw only (not a notice). */
  known: z.array(path).max(200).default([]),
  sourceChannel: z.string().trim().min(1).max(50),
  signature: signatureSpec,
}).strict();
export type SourceMapping = z.infer<typeof sourceMapping>;

export interface Preset {
  key: string;
  label: string;
  /** Secrets the source needs (the admin pastes them into the source's console). */
  secrets: string[];
  mapping: SourceMapping;
  notes: string;
}

export interface MappedLead {
  externalId: string | null;
  given: Partial<Record<TargetField, string>>;
  /** Lead text for extraction: the message, the form's questions, and every field the mapping does not know. */
  text: string;
  unknown: { field: string; sample: string }[];
}
