import { normalizeIdentity } from '../identity.js';
import type { Identity } from '../customers.repo.js';
import type { Profile } from '../resolution.service.js';
import type { ColumnTarget, RowProblem } from './imports.types.js';

/** One data row read through a mapping: what resolution needs, plus what the row got wrong. */
export interface ParsedRow {
  identities: Identity[];
  profile: Profile;
  tags: string[];
  custom: Record<string, string>;
  problems: RowProblem[];
}

/** An export writes '=x as text so a spreadsheet does not run it; reading it back takes the quote off. */
export function unneutralize(v: string): string {
  return /^'[=+\-@]/.test(v) ? v.slice(1) : v;
}

const SPLIT = /[;；,，、/|\n]+|\s{2,}/;

function splitPhones(v: string): string[] {
  // Separators between numbers; single spaces inside a number (139 1234 5678) are kept.
  return v.split(/[;；,，、/|\n]+|\s{2,}/).map((p) => p.trim()).filter(Boolean);
}

export function parseRow(cells: string[], headers: string[], targets: ColumnTarget[]): ParsedRow {
  const out: ParsedRow = { identities: [], profile: {}, tags: [], custom: {}, problems: [] };
  const add = (kind: Identity['kind'], raw: string, column: string, code: string, label: string) => {
    try {
      out.identities.push({ kind, value: normalizeIdentity(kind, raw) });
    } catch {
      out.problems.push({ code, severity: 'warning', column, message: `${label}「${mask(raw)}」格式不对，已忽略` });
    }
  };
  targets.forEach((t, i) => {
    const column = headers[i] ?? '';
    const v = unneutralize((cells[i] ?? '').trim());
    if (!v || t === 'skip') return;
    switch (t) {
      case 'phone': {
        const parts = splitPhones(v);
        if (parts.length > 1) out.problems.push({ code: 'several_phones', severity: 'warning', column, message: `一格里有 ${parts.length} 个电话，都记为这位客户的电话` });
        for (const p of parts) add('phone', p, column, 'invalid_phone', '电话');
        break;
      }
      case 'email':
        for (const p of v.split(SPLIT).map((x) => x.trim()).filter(Boolean)) add('email', p, column, 'invalid_email', '邮箱');
        break;
      case 'wechat_id':
        for (const p of v.split(SPLIT).map((x) => x.trim()).filter(Boolean)) add('wechat_id', p, column, 'invalid_wechat', '微信号');
        break;
      case 'tags':
        out.tags.push(...v.split(/[|;；,，、]+/).map((x) => x.trim()).filter(Boolean));
        break;
      case 'custom':
        if (column.trim()) out.custom[column.trim()] = v;
        break;
      default:
        if (out.profile[t] === undefined) out.profile[t] = v;
    }
  });
  const seen = new Set<string>();
  out.identities = out.identities.filter((i) => {
    const k = `${i.kind}\u0000${i.value}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
  out.tags = [...new Set(out.tags)];
  if (!out.profile.name) out.problems.push({ code: 'missing_name', severity: 'warning', message: '没有姓名' });
  if (out.identities.length === 0) {
    out.problems.push({ code: 'no_identity', severity: 'error', message: '没有可用的电话、邮箱或微信号，无法识别是哪位客户' });
  }
  return out;
}

export function rowRejected(r: ParsedRow): boolean {
  return r.problems.some((p) => p.severity === 'error');
}

/** Phone-like runs of digits shown with the middle hidden (logs and reports never carry a full number). */
export function mask(v: string): string {
  return v.replace(/\d{7,}/g, (d) => `${d.slice(0, 3)}****${d.slice(-4)}`);
}
