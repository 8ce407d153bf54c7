import { badRequest } from '../lib/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}

export function requireUuid(v: unknown, what: string): string {
  if (!isUuid(v)) throw badRequest('invalid_id', `${what} must be a UUID`);
  return v.toLowerCase();
}
