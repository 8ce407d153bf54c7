import type { IdentityKind } from '../db/schema.js';
import { badRequest } from '../lib/errors.js';

/** One canonical form per identity so the unique index catches every duplicate. */
export function normalizeIdentity(kind: IdentityKind, raw: string): string {
  const v = raw.normalize('NFKC').trim();
  switch (kind) {
    case 'phone': {
      let d = v.replace(/[\s\-()]/g, '');
      d = d.replace(/^(\+86|0086)/, '');
      if (/^86 ?1[3-9]\d{9}$/.test(d)) d = d.slice(2);
      if (/^1[3-9]\d{9}$/.test(d)) return d;
      if (/^[48]00\d{7}$/.test(d)) return d;
      const land = v.replace(/[\s()]/g, '').match(/^(0\d{2,3})-?(\d{7,8})$/);
      if (land) return `${land[1]}-${land[2]}`;
      throw badRequest('invalid_phone', 'phone is not a mainland mobile, landline or 400/800 number');
    }
    case 'email': {
      const e = v.toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e)) throw badRequest('invalid_email', 'email is malformed');
      return e;
    }
    case 'wechat_id':
      return v.toLowerCase();
    default:
      if (!v) throw badRequest('invalid_identity', `${kind} is empty`);
      return v;
  }
}
