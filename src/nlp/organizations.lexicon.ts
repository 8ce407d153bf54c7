/* Organization word classes: institution kinds, the tags and words a name may be built of, and
 * the words that stop it. organizations.extractor.ts reads these; a new kind or stop word is a row here. */

/** Kinds of institution (spec: Organizations); kinds ending in 院 count like 医院. */
export const SUFFIXES = [
  '股份有限公司', '有限责任公司', '卫生服务中心', '妇幼保健院', '有限公司', '人民医院', '医科大学', '卫生院', '保健院',
  '中医院', '研究院', '研究所', '实验室', '事务所', '委员会', '门诊部', '幼儿园', '制药厂', '医院', '诊所', '公司', '集团',
  '大学', '学院', '中学', '小学', '学校', '银行', '协会', '商会', '药房', '药店', '卫健委', '疾控中心', '中心', '工厂', '厂', '局',
  '养老院', '敬老院', '福利院', '疗养院', '护理院', '康复院', '设计院', '科学院', '检察院', '法院', '酒店', '宾馆', '教育',
].sort((a, b) => b.length - a.length);

/** Institutions that have sub-units, and the kinds a sub-unit is named with. */
export const SUB_UNITS = new Set(['学院', '中心', '研究所', '实验室', '门诊部', '委员会']);

/** A suffix followed by these is a longer common word (厂家, 公司章程 is fine, 学院路 is a road). */
export const BREAK_AFTER = new Set('家商长路街区'.split(''));
export const NAME_TAGS = new Set(['vn', 'a', 'ns', 'nt', 'nz', 'nr', 'nrt', 'nrfg', 'j', 'eng', 'm', 'n', 'b', 'x', 'an', 'ng', 'f', 's']);
export const ADMIN_UNITS = new Set(['省', '市', '区', '县', '镇', '州', '乡']);
export const PLACE_TAGS = new Set(['ns', 'nr', 'nrt', 'nz', 'x', 'j']);
/** Words that may stand in brackets inside a company name. */
export const BRACKETED = new Set(['集团', '控股', '中国', '股份']);
/** Tags a name may contain but not start with. */
export const INNER_ONLY_TAGS = new Set(['vn', 'a']);
export const PROPER_TAGS = new Set(['ns', 'nt', 'nz', 'nr', 'nrt', 'nrfg', 'j', 'eng', 'x', 'm']);
export const GENERIC = new Set([
  '客户', '对方', '我们', '你们', '他们', '贵', '本', '这家', '那家', '一家', '该', '合作', '大', '小', '总', '分', '新', '老',
  '各', '每', '哪', '这个', '那个', '某', '其他', '外地', '本地', '附近', '当地', '市', '县', '区', '省', '国内', '国外',
  '私立', '公立', '民营', '国营', '上级', '下属', '我', '你', '他', '她', '购物', '服务', '活动', '培训', '销售', '售后',
  // Quantifiers: 许多医院, 很多学校 are no names.
  '许多', '很多', '好多', '不少', '一些', '有些', '所有', '这些', '那些', '各个', '几家', '多家', '部分', '大部分', '全部',
]);
/** A counted number of institutions or things (两家诊所, 三所学校, 两台/m 立式加工中心) is no name. */
export const INSTITUTION_MEASURES = '家所个座间';
export const THING_MEASURES = '台套件只批';
export const COUNTED = new RegExp(`^[0-9零〇一二两三四五六七八九十百几多]+[${INSTITUTION_MEASURES}${THING_MEASURES}]$`);
/** Counted with a measure word for things (两台立式加工中心), it is equipment, not an institution. */
export const COUNTED_THING = new RegExp(`[${THING_MEASURES}]$`);
/** Function characters: an HMM word holding one (两点半在/x, 10点来/x) is a phrase jieba
 * failed to split, never part of a name. */
export const FUNCTION_CHARS = /[在来到去是的了和与就都也还又很把被让给向从对说要会能想]/;
/** jieba's tag for a word its HMM made up (not in its dictionary). */
export const HMM_TAG = 'x';
/** jieba's tag for a person's name. */
export const NAME_TAG = 'nr';
/** Generic words that describe what an institution does: a name never begins with one
 * (培训学校, 售后服务中心), but one may sit inside a name (新东方培训学校). */
export const DESCRIPTIVE = new Set(['购物', '服务', '活动', '培训', '销售', '售后', '合作', '私立', '公立', '民营', '国营',
  // Size and age words: inside a name after a proper name (东南大学附属中大医院), never its start (这家大医院).
  '大', '小', '新', '老']);
/** Single-character heads the generic list cannot catch (市中心, 总公司, 分公司): a name before its kind
 * is at least MIN_NAME characters, and MIN_PLAIN_NAME when jieba tags none of it as a proper name. */
export const MIN_NAME = 2;
export const MIN_PLAIN_NAME = 3;
/** Kinds that also end everyday words (布局, 饭局, 格局, 大局; 顾全大局/nr) while a real one is named with
 * a longer word (教育局, 公安局): after a two-character word or a word tagged as a name they are no kind. */
export const WORD_ENDING_KINDS = new Set(['局']);
/** 苏州市立医院 (苏州市/ns 立/v): these after a place ending in an admin unit make 市立/省立/区立. */
export const ESTABLISHED_BY = new Set(['立']);
/** Characters that end a name: spaces and punctuation. */
export const PUNCTUATION = /[\s,.:;!?()、。《》「」【】]/;
/** How far left of its kind a name may start. */
export const MAX_NAME = 16;

