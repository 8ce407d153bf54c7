// Phones leave the process only masked (138****5678): logs, errors and cards alike.
const MOBILE = /(?<![\d])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![\d])/g;
const LANDLINE = /(?<![\d])(0\d{2,3})-?(\d{3,4})(\d{4})(?![\d])/g;

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

export function maskPhonesInText(text: string): string {
  return text
    .replace(MOBILE, (_m, a: string, _b: string, c: string) => `${a}****${c}`)
    .replace(LANDLINE, (_m, a: string, _b: string, c: string) => `${a}-****${c}`);
}

/** Deep-copies a log payload with every string's phone numbers masked. */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[depth]';
  if (typeof value === 'string') return maskPhonesInText(value);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  if (value && typeof value === 'object' && !(value instanceof Error) && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth + 1);
    return out;
  }
  return value;
}
