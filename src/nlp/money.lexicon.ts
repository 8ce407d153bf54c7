/* Money word classes: every word that decides whether a number is money, which kind of money it
 * is and whether it is a bound. The parser (money.parser.ts) builds its patterns from these rows
 * and never names a word itself: a new cue is a row here. Entries are plain words unless a
 * column says "pattern". */

/** Currency marks: where they stand, and the currency they name (unlisted marks are CNY). */
export const CURRENCY_BEFORE = ['¥', '￥', '$', '€', 'rmb', 'cny', 'usd', 'eur', '人民币', '美元', '美金'];
export const CURRENCY_AFTER = ['块钱', '元', '块', 'rmb', 'cny', 'usd', 'eur', '美元', '美金', '欧元', '人民币'];
export const CURRENCY_OF: Record<string, 'USD' | 'EUR'> = {
  '$': 'USD', 'usd': 'USD', '美元': 'USD', '美金': 'USD', '€': 'EUR', 'eur': 'EUR', '欧元': 'EUR',
};

/** A range's joiners (3000到5000, 5-8万), and the marks its first end may carry (3000元到5000元). */
export const RANGE_WORDS = ['到', '至', '-', '~', '—'];
export const RANGE_END_CURRENCY = ['块钱', '元', '块'];
/** A unit in brackets after a label applies to the bare number after it (最高限价（万元）：95). */
export const LABEL_UNITS: Record<string, number> = { '万元': 1e4, '万': 1e4, '千元': 1e3 };
/** Multipliers that are letters: after a physical quantity they are watts or pixels. */
export const LETTER_MULTIPLIERS = ['w', 'k'];
/** 一 before these after a numeral is "per one" (六万八一台 is 68000 a unit), not a last digit. */
export const PER_ONE_MEASURES = '台个套件年节次份支盒只张瓶箱批';
/** A number right after these is an ordinal, never money (第2标段, 第3期). */
export const ORDINAL_MARKS = ['第'];
/** Digit pairs read as a rough range besides neighbours (两三万, 七八千): 三五万. */
export const ROUGH_PAIRS = ['三五'];

/** Multipliers after a number (5万, 3k, 两个亿), a longer word before its prefix. */
export const MULTIPLIER: Record<string, number> = {
  '万元': 1e4, '万块': 1e4, '万': 1e4, 'w': 1e4, '千': 1e3, 'k': 1e3, '百万': 1e6, '亿': 1e8,
};

/** Cues before or after an amount, by what they make of it:
 * - budget: a budget or price word anywhere next to it (预算, 报价 …);
 * - perUnit: 每 + a measure word right before it, a unit price (每台三百);
 * - priceNoun: a price or fee noun right before it, unless after one of `notAfter` (一口价6500, not 评价);
 * - total: states an order's total, which outranks a unit price (合计17500元);
 * - metric: the size of a company, never a budget (注册资金500万);
 * - physical: a w or k after these is watts or pixels (功率800w, 分辨率4k). */
export const BUDGET_WORDS = ['预算', '报价', '价格', '价钱', '出价', '总价', '单价', '费用', '金额', '总额', '合同额', '标的',
  '花费', '投入', '开价', '报了', '价位', '控制在', '一共', '总共', '大概', '左右'];
export const PER_UNIT_WORDS = ['课时', '台', '套', '件', '支', '盒', '只', '人', '节', '次', '期', '课'];
export const PRICE_NOUNS = [{ noun: '价', notAfter: '评代物身' }, { noun: '费', notAfter: '免浪消' }];
export const TOTAL_WORDS = ['合计', '总计', '共计', '总价', '总额', '总金额', '合同额', '一共', '总共'];
export const METRIC_WORDS = ['注册资金', '注册资本', '产值', '销售额', '营业额', '营收', '年收入', '利润', '市值', '估值', '融资',
  '身家', '人口', '人数', '用户数?', '粉丝', '会员', '销量', '产量', '阅读量', '播放量', '访问量', '寿命'];
/** Verbs and adverbs that may stand between a metric and its amount (销售额将近, 产值突破). */
export const METRIC_LINKS = ['是', '为', '有', '达', '约', '大概', '大约', '将近', '接近', '超过', '突破', '过'];
export const PHYSICAL_WORDS = ['功率', '瓦数', '电压', '电流', '分辨率', '像素', '内存', '容量', '带宽', '转速', '频率', '屏幕', '显示屏'];

/** Bounds, read in this order (a negated form first: 不低于 ends in 低于). `negated` words follow a
 * negation (不超过 is a maximum, 不低于 a minimum); `before`/`after` stand on that side of the amount. */
export const NEGATIONS = ['不能', '不要', '不可', '不得', '不会', '不', '别', '勿'];
export const BOUNDS: ReadonlyArray<{ bound: 'min' | 'max'; negated?: string[]; before?: string[]; after?: string[] }> = [
  { bound: 'min', negated: ['低于', '少于'] },
  { bound: 'max', negated: ['超过', '高于', '多于', '超出'],
    before: ['最多', '最高', '顶多', '上限', '封顶', '以内', '低于', '少于', '不到', '限价', '控制价'],
    after: ['以内', '之内', '以下', '内', '封顶', '为限', '上限'] },
  { bound: 'min', before: ['至少', '最少', '最低', '起码', '下限', '高于', '超过', '多于'], after: ['起', '以上', '起步', '打底', '往上', '+'] },
];
/** A bound word may be followed by a short verb phrase (最多能接受2万5, 至少要出5万) … */
export const BOUND_MODALS = ['能', '可以', '只能', '愿意', '要', '得', '需要'];
export const BOUND_VERBS = ['接受', '出', '给', '付', '花', '投', '到'];
/** … and by a price noun before a label colon (最高限价：180万元, 预算上限：20万). */
export const BOUND_NOUNS = ['限价', '预算', '报价', '投标价'];
/** Bound and rough words that belong to the amount's text (不超过3万, 3万以内, 大约5万). */
export const TEXT_HEAD = { bounded: ['最多', '至少', '最少'], negated: ['超过', '高于', '低于', '少于'], rough: ['约', '大约', '大概'] };
export const TEXT_TAIL = ['以内', '之内', '以下', '起', '以上', '左右'];

/** A number right before one of these counts things (50台, 3年), unless the unit begins a time
 * word (`notBefore`: 预算8万 时间…, 10万年底前, 5万分期). Letters need a word boundary (`letters`). */
export const QUANTITY_UNITS = ['台', '节', '课时', '课', '期', '小时', '个', '套', '件', '盒', '支', '只', '像素', '人', '次', '天',
  '年', '月', '号', '日', '点', '时', '分', '岁', '家', '张', '份', '瓶', '包', '箱', '辆', '米', '公里', '平', '斤', '克', '吨', '级',
  '楼', '层', '床', '%', '倍', '度', '℃', '°', '瓦', '伏', '升', '毫', '厘', '寸', '片', '条', '粒', '袋', '桶', '根', '位', '名', '页',
  '例', '室', '间', 'mm', 'cm', 'ml', 'kg', 'mg'];
export const QUANTITY_LETTERS = ['g', 'm'];
export const QUANTITY_NOT_BEFORE = ['时间', '日期', '年底', '年初', '年末', '年内', '月底', '月初', '月末', '月中', '分期'];

/** What may follow a Chinese-numeral amount without the two making one word (三万的, 八千左右, 五万吧);
 * anything else glued to it is a word (十万火急, 三千里). `chars` are single characters. */
export const CN_FOLLOWERS = {
  words: ['的', '左右', '上下', '以', '之', '起', '多', '来', '预算', '报价', '价', '费', '人民币', '美元', '美金', '欧元', '封顶', '打底', '为限'],
  chars: '吧啊呀呢吗嘛哈哦啦了就也都够行我你他她它您咱这那是能可还要算不没',
};

/** How much each piece of evidence is worth when a message holds several amounts (the heaviest wins,
 * then the earliest): a budget word next to it, a currency, a multiplier, a bound, a stated total. */
export const EVIDENCE_WEIGHT = { context: 2, currency: 1, multiplier: 1, bound: 1, total: 2 };

/** Financial (大写) numerals, as contracts and invoices write amounts: 叁拾万元整. */
export const DAXIE: Record<string, string> = {
  '壹': '一', '贰': '二', '貳': '二', '叁': '三', '參': '三', '肆': '四', '伍': '五', '陆': '六', '陸': '六',
  '柒': '七', '捌': '八', '玖': '九', '拾': '十', '佰': '百', '仟': '千', '萬': '万', '億': '亿',
};

/** Escape a word for a pattern; entries in columns marked "pattern" (用户数?) are left as they are. */
export const esc = (w: string): string => w.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&');
/** An alternation of words in the order listed (a longer word before its prefix: 块钱 before 块). */
export const alt = (ws: readonly string[], raw = false): string => ws.map((w) => (raw ? w : esc(w))).join('|');
