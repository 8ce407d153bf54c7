import { and, desc, lt, or, eq, type SQL, type AnyColumn } from 'drizzle-orm';
import { badRequest } from '../lib/errors.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  cursor?: string;
  limit: number;
}

interface CursorKey {
  t: string;
  id: string;
}

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify({ t: at.toISOString(), id } satisfies CursorKey)).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorKey>;
    const at = new Date(String(parsed.t));
    if (typeof parsed.id !== 'string' || Number.isNaN(at.getTime())) throw new Error('shape');
    return { at, id: parsed.id };
  } catch {
    throw badRequest('invalid_cursor', 'cursor is not one this API issued');
  }
}

/** Keyset condition for "created before the cursor row" with (created_at desc, id desc) ordering. */
export function afterCursor(createdAt: AnyColumn, id: AnyColumn, cursor?: string): SQL | undefined {
  if (!cursor) return undefined;
  const c = decodeCursor(cursor);
  return or(lt(createdAt, c.at), and(eq(createdAt, c.at), lt(id, c.id)));
}

export function newestFirst(createdAt: AnyColumn, id: AnyColumn) {
  return [desc(createdAt), desc(id)];
}

/** Fetches limit+1 rows upstream; this trims and builds the cursor. */
export function toPage<T extends { id: string; createdAt: Date }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
}
