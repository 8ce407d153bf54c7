import { z } from 'zod';
import { badRequest } from '../lib/errors.js';

/** Validates query/body with a zod schema; failures become 400 with a code and the field paths. */
export function parseWith<T extends z.ZodTypeAny>(schema: T, input: unknown, code = 'invalid_parameter'): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw badRequest(code, issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), issues);
  }
  return r.data;
}

export const pageQuery = {
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
};

export const uuidParam = z.string().uuid();
