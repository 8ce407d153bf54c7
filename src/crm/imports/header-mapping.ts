import { FIELD_LABELS, type ColumnProposal, type ColumnTarget, type ImportField, type Mapping } from './imports.types.js';

/**
 * Header words per field. A header maps to the field whose synonym it equals after normalization,
 * else whose longest synonym it contains (客户联系电话 holds 联系电话). Pure: no I/O.
 */
const SYNONYMS: Record<ImportField, string[]> = {
  phone: ['电话', '手机', '手机号', '手机号码', '客户电话', '联系电话', '联系方式', '电话号码', '移动电话', '联系人电话', '座机', 'phone', 'mobile', 'tel', 'telephone', 'phones', 'cell'],
  name: ['姓名', '客户名称', '客户姓名', '联系人', '名字', '客户', '称呼', '联系人姓名', 'name', 'contact', 'fullname'],
  company: ['单位', '公司', '医院', '公司名称', '单位名称', '企业', '企业名称', '机构', '工作单位', '学校', 'company', 'organization', 'org', 'hospital'],
  title: ['职务', '职位', '头衔', '岗位', '职称', 'title', 'position', 'jobtitle'],
  email: ['邮箱', '电子邮箱', '邮件', '电子邮件', 'email', 'mail', 'emails', 'e-mail'],
  wechat_id: ['微信', '微信号', '微信id', 'wechat', 'wechatid', 'wechat_ids', 'weixin'],
  region: ['地区', '区域', '省份', '城市', '所在地', '地址', '省市', 'region', 'city', 'province'],
  tags: ['标签', '客户标签', '分类', 'tags', 'tag'],
};

/** Columns an export writes that are no customer field: proposed as skip, so a re-import changes nothing. */
const SKIP_HEADERS = ['客户id', 'id', '负责人', '负责人id', '阶段', '评分', '创建时间', '更新时间', '来源', 'owner_id', 'stage', 'created_at'];

export function normalizeHeader(h: string): string {
  return h.normalize('NFKC').toLowerCase().replace(/[\s_\-:：（）()[\]【】*#]/g, '');
}

export function fieldBySynonym(header: string): ImportField | 'skip' | null {
  const h = normalizeHeader(header);
  if (!h) return null;
  if (SKIP_HEADERS.includes(h)) return 'skip';
  for (const [f, words] of Object.entries(SYNONYMS) as [ImportField, string[]][]) {
    if (words.some((w) => normalizeHeader(w) === h)) return f;
  }
  let best: { f: ImportField; len: number } | null = null;
  for (const [f, words] of Object.entries(SYNONYMS) as [ImportField, string[]][]) {
    for (const w of words) {
      const n = normalizeHeader(w);
      if (n.length >= 2 && h.includes(n) && (!best || n.length > best.len)) best = { f, len: n.length };
    }
  }
  return best?.f ?? null;
}

const MOBILE = /^(\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What a column's values look like, when most non-empty samples agree (at least 80 %). */
export function fieldByValues(samples: string[]): ImportField | null {
  const vals = samples.map((s) => s.trim()).filter(Boolean);
  if (vals.length < 3) return null;
  const share = (re: RegExp) => vals.filter((v) => v.split(/[;,，；、/|]+|\s{2,}/).filter(Boolean).every((p) => re.test(p))).length / vals.length;
  if (share(MOBILE) >= 0.8 || share(LANDLINE) >= 0.8) return 'phone';
  if (share(EMAIL) >= 0.8) return 'email';
  return null;
}

/** The key remembered choices are stored under: the same headers, in any order, in any case. */
export function headersKey(headers: string[]): string {
  return [...headers].map(normalizeHeader).sort().join('\u0001');
}

/**
 * A proposed target per header: the admin's earlier choice for this header set, else synonyms, else
 * values; the rest become `custom` (or whatever the remembered mapping said). A field already taken by
 * an earlier column is not proposed again, except phone, email, wechat_id and tags, which may repeat.
 */
export function proposeMapping(headers: string[], samples: string[][], remembered: Mapping | null): ColumnProposal[] {
  const taken = new Set<ColumnTarget>();
  const repeatable = new Set<ColumnTarget>(['phone', 'email', 'wechat_id', 'tags', 'custom', 'skip']);
  return headers.map((header, i) => {
    const col = samples.map((r) => r[i] ?? '').filter((v) => v.trim() !== '');
    const shown = col.slice(0, 3);
    const r = remembered?.[header];
    if (r) return { header, target: r, by: 'remembered' as const, samples: shown };
    if (!header.trim()) return { header, target: 'skip' as const, by: 'none' as const, samples: shown };
    let target: ColumnTarget | null = fieldBySynonym(header);
    let by: ColumnProposal['by'] = 'synonym';
    if (!target || (taken.has(target) && !repeatable.has(target))) {
      target = fieldByValues(col);
      by = 'values';
    }
    if (!target || (taken.has(target) && !repeatable.has(target))) {
      target = 'custom';
      by = 'none';
    }
    taken.add(target);
    return { header, target, by, samples: shown };
  });
}

export function describeTarget(t: ColumnTarget): string {
  return FIELD_LABELS[t];
}
