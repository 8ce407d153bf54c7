/* Organizations: a name ending in an organization word (医院, 公司, 学校, 厂 …), grown
 * leftwards over jieba tokens that can be part of a proper name and stopped by verbs,
 * pronouns and particles. A bare or generic head (客户公司, 他们学校) is not a name. */
import type { Organization } from './types.js';
import type { Token } from './segmenter.js';

/** Kinds of institution (spec: Organizations); kinds ending in 院 count like 医院. */
const SUFFIXES = [
  '股份有限公司', '有限责任公司', '卫生服务中心', '妇幼保健院', '有限公司', '人民医院', '医科大学', '卫生院', '保健院',
  '中医院', '研究院', '研究所', '实验室', '事务所', '委员会', '门诊部', '幼儿园', '制药厂', '医院', '诊所', '公司', '集团',
  '大学', '学院', '中学', '小学', '学校', '银行', '协会', '商会', '药房', '药店', '卫健委', '疾控中心', '中心', '工厂', '厂', '局',
  '养老院', '敬老院', '福利院', '疗养院', '护理院', '康复院', '设计院', '科学院', '检察院', '法院', '酒店', '宾馆', '教育',
].sort((a, b) => b.length - a.length);

/** Institutions that have sub-units, and the kinds a sub-unit is named with. */
const SUB_UNITS = new Set(['学院', '中心', '研究所', '实验室', '门诊部', '委员会']);

/** A suffix followed by these is a longer common word (厂家, 公司章程 is fine, 学院路 is a road). */
const BREAK_AFTER = new Set('家商长路街区'.split(''));
const NAME_TAGS = new Set(['vn', 'a', 'ns', 'nt', 'nz', 'nr', 'nrt', 'nrfg', 'j', 'eng', 'm', 'n', 'b', 'x', 'an', 'ng', 'f', 's']);
const ADMIN_UNITS = new Set(['省', '市', '区', '县', '镇', '州', '乡']);
const PLACE_TAGS = new Set(['ns', 'nr', 'nrt', 'nz', 'x', 'j']);
/** Words that may stand in brackets inside a company name. */
const BRACKETED = new Set(['集团', '控股', '中国', '股份']);
/** Tags a name may contain but not start with. */
const INNER_ONLY_TAGS = new Set(['vn', 'a']);
const PROPER_TAGS = new Set(['ns', 'nt', 'nz', 'nr', 'nrt', 'nrfg', 'j', 'eng', 'x', 'm']);
const GENERIC = new Set([
  '客户', '对方', '我们', '你们', '他们', '贵', '本', '这家', '那家', '一家', '该', '合作', '大', '小', '总', '分', '新', '老',
  '各', '每', '哪', '这个', '那个', '某', '其他', '外地', '本地', '附近', '当地', '市', '县', '区', '省', '国内', '国外',
  '私立', '公立', '民营', '国营', '上级', '下属', '我', '你', '他', '她', '购物', '服务', '活动', '培训', '销售', '售后',
  // Quantifiers: 许多医院, 很多学校 are no names.
  '许多', '很多', '好多', '不少', '一些', '有些', '所有', '这些', '那些', '各个', '几家', '多家', '部分', '大部分', '全部',
]);
/** Function characters: an HMM word holding one (两点半在/x, 10点来/x) is a phrase jieba
 * failed to split, never part of a name. */
/** A counted number of institutions or things (两家诊所, 三所学校, 两台/m 立式加工中心) is no name. */
const COUNTED = /^[0-9零〇一二两三四五六七八九十百几多]+[家所个座间台套件只批]$/;
/** Counted with a measure word for things (两台立式加工中心), it is equipment, not an institution. */
const COUNTED_THING = /[台套件只批]$/;
const FUNCTION_CHARS = /[在来到去是的了和与就都也还又很把被让给向从对说要会能想]/;
/** Generic words that describe what an institution does: a name never begins with one
 * (培训学校, 售后服务中心), but one may sit inside a name (新东方培训学校). */
const DESCRIPTIVE = new Set(['购物', '服务', '活动', '培训', '销售', '售后', '合作', '私立', '公立', '民营', '国营',
  // Size and age words: inside a name after a proper name (东南大学附属中大医院), never its start (这家大医院).
  '大', '小', '新', '老']);
// Single-character heads the generic list cannot catch (市中心, 总公司, 分公司).
const MIN_NAME = 2;

function tokenEndingAt(tokens: Token[], pos: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].end === pos) return mid;
    if (tokens[mid].end < pos) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function tokenAt(tokens: Token[], pos: number): Token | undefined {
  return tokens.find((t) => t.start <= pos && pos < t.end);
}

export function extractOrganizations(norm: string, orig: string, tokens: Token[]): Array<Organization & { index: number }> {
  const out: Array<Organization & { index: number; kind: string }> = [];
  const seen = new Set<string>();
  let from = 0;
  /** End of a longer suffix that found no name (有限公司 after 哈哈/o): the shorter suffix inside
   * it (公司) must not grow over its first characters (集团有限公司 is no name). */
  let failedEnd = -1;
  for (let i = 0; i < norm.length; i++) {
    if (i < from) continue;
    const suffix = SUFFIXES.find((sfx) => norm.startsWith(sfx, i));
    if (!suffix) continue;
    const end = i + suffix.length;
    if (end === failedEnd) continue;
    failedEnd = end;
    if (BREAK_AFTER.has(norm[end])) continue;
    // 局 ends many everyday words (布局, 饭局, 格局, 大局; 顾全大局/nr), while a bureau is named with a
    // longer word (教育局, 公安局): 局 at the end of a two-character word, or of a word jieba tags as a
    // name, is no suffix.
    if (suffix === '局') {
      const cover = tokens.find((t) => t.start < i && t.end === end);
      if (cover && (cover.end - cover.start === 2 || cover.tag === 'nr')) continue;
    }
    // A one-character suffix that jieba's HMM glued to the characters before it (验厂/x, 来验厂/x,
    // 点验厂/x, 返厂/x) ends a verb phrase (来验厂, 回厂, 到厂), not a name: names are dictionary words.
    if (suffix.length === 1 && tokens.some((t) => t.start < i && t.end === end && t.tag === 'x')) continue;
    // Walk left over name-like tokens; the suffix may itself start mid-token (人民医院).
    let start = i;
    let k = tokenEndingAt(tokens, start);
    if (k < 0) {
      const inside = tokens.findIndex((t) => t.start < i && t.end > i);
      if (inside < 0) continue;
      start = tokens[inside].start;
      k = inside - 1;
    }
    // jieba knows many institutions whole (浙江大学/nt).
    const own = tokenAt(tokens, i);
    let proper = own !== undefined && own.start < i && PROPER_TAGS.has(own.tag);
    let genericOnly = !proper;
    const walked: Token[] = [];
    let countedThing = false;
    while (k >= 0 && i - tokens[k].start <= 16) {
      const t = tokens[k];
      // jieba splits 西湖区 into 西湖/ns + 区: a lone admin unit after a place belongs to it.
      // jieba tags some places as names (余杭/nr 区): any proper-name tag will do.
      const unitOfPlace = ADMIN_UNITS.has(t.word) && k > 0 && tokens[k - 1].end === t.start && PLACE_TAGS.has(tokens[k - 1].tag);
      // 上海微创医疗器械(集团)有限公司, 迈瑞(中国)有限公司: a bracketed group or place is part of the name.
      if (t.word === ')' && k >= 2 && tokens[k - 2].word === '(' && (BRACKETED.has(tokens[k - 1].word) || tokens[k - 1].tag === 'ns')) {
        walked.push(t, tokens[k - 1], tokens[k - 2]);
        k -= 3;
        continue;
      }
      // 苏州市立医院 (苏州市/ns 立/v): 立 after a place ending in an admin unit is 市立/省立/区立.
      const establishedBy = t.word === '立' && k > 0 && tokens[k - 1].end === t.start && ADMIN_UNITS.has(norm[t.start - 1]);
      if (!unitOfPlace && !establishedBy && (!NAME_TAGS.has(t.tag) || (GENERIC.has(t.word) && !DESCRIPTIVE.has(t.word)) || /[\s,.:;!?()、。《》「」【】]/.test(t.word)
        || (t.tag === 'x' && FUNCTION_CHARS.test(t.word)) || COUNTED.test(t.word))) {
        countedThing = COUNTED.test(t.word) && COUNTED_THING.test(t.word);
        break;
      }
      walked.push(t);
      k--;
    }
    // A verbal noun or an adjective (实验, 精密) is inside a name (海淀区实验小学,
    // 昆山市精密模具厂) but never begins one.
    // A bracketed group never begins a name either.
    while (walked.length && (INNER_ONLY_TAGS.has(walked[walked.length - 1].tag) || DESCRIPTIVE.has(walked[walked.length - 1].word)
      || walked[walked.length - 1].word === '(')) walked.splice(walked[walked.length - 1].word === '(' ? -3 : -1);
    for (const t of walked) {
      start = t.start;
      if (PROPER_TAGS.has(t.tag)) proper = true;
      if (!GENERIC.has(t.word)) genericOnly = false;
    }
    const head = norm.slice(start, i);
    if (head.length < MIN_NAME || genericOnly || countedThing) continue;
    if (!proper && head.length < 3) continue;
    const name = orig.slice(start, end);
    from = end;
    // A sub-unit right after its institution (浙江工业大学机械学院, 某某集团采购中心) is not part of
    // the name: the outermost institution is. Otherwise the longer name is the organization
    // (复旦大学附属中山医院 contains 复旦大学).
    const parent = out[out.length - 1];
    const gap = parent ? norm.slice(parent.index + parent.name.length, i) : '';
    const subUnit = parent && SUB_UNITS.has(suffix)
      && (parent.index >= start || /^\s+[\u4e00-\u9fff]{1,4}$/.test(gap));
    if (subUnit) continue;
    while (out.length && out[out.length - 1].index >= start) seen.delete(out.pop()!.name);
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ name, text: name, index: start, kind: suffix });
  }
  return out;
}
