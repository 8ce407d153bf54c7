import { z } from 'zod';

// Env-variable building blocks shared by config.ts and each adapter's own variables.

/** A string variable where empty means unset. */
export const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

export const optionalUrl = (name: string) =>
  optionalString.refine((v) => v === undefined || /^https?:\/\//.test(v), { message: `${name} must be an http(s) URL` });
