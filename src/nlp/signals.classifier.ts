/* Urgency and intent from keywords and the resolved dates. Keyword rules beat a trained
 * classifier here: the dev set is small and the spec defines the levels by words. */
import type { Intent, Level, Urgency } from './types.js';
import type { ResolvedDate } from './dates.parser.js';

/** Negated urgency: a negation, optionally a degree word, then 急/着急/紧急 (不急, 不用太急, 不算急,
 * 没那么着急, 不是特别急, 不用那么急), plus 慢慢来 and 不赶(时间). */
const NEGATED_URGENCY = /((?:不是|不用|不必|无需|不需要|没有|不|没|别)算?(?:太|很|那么|这么|特别|非常|十分|怎么)?(?:着急|紧急|迫切|急)|慢慢来|不赶时间|不赶|不用赶|not urgent|no rush|no hurry)/g;
/** The spec's urgency words, plus their everyday synonyms (越早越好, 赶快, 尽早, 加紧, 速回 …). */
const URGENCY = /(越快越好|越早越好|今天就要|十万火急|刻不容缓|火速|加急|紧急|着急|急需|尽快|尽早|尽速|从速|速回|速来|速发|马上|立刻|立即|赶紧|赶快|抓紧|加紧|迫切|asap|as soon as possible|urgent|急)/g;
/** Words containing 急 that are not urgency (急诊科, 急救车). */
const NOT_URGENT_JI = /(急诊|急救|急性|应急|急症|急停)/g;

const DISINTEREST = /(暂时不需要|暂时不用|暂不需要|暂不考虑|不需要了|不用了|随便问问|随便看看|不考虑|已经买了|已经买过|已经有了|买过了|再说吧|没兴趣|不感兴趣|不要了|(?:没有|没|暂无|暂时没有|目前没有|近期没有|今年没有)(?:这方面|这块|这类|这种|相关)?的?(?:采购|购买|购置)?(?:计划|需求|打算|意向)|(?:暂不|暂时不|目前不|不打算|不准备|不会再?)(?:采购|购买|购置|买)|先不(?:采购|购买|买)了)/g;
/** The same signals written in English, as whole words outside e-mails and IDs (demo, quotation,
 * not interested). */
const EN_DISINTEREST = /(?<![a-z0-9_.@-])(not interested|no need|no thanks)(?![a-z0-9_@-])/g;
const EN_HIGH_INTENT = /(?<![a-z0-9_.@-])(quotation|quote|tender|bidding|contract|budget|demo|samples?|trial|rfq)(?![a-z0-9_@-])/g;
const EN_PRICE_QUESTION = /(?<![a-z0-9_.@-])(how much|price|discount)(?![a-z0-9_@-])/g;
/** A purchase verb-object word split by 个/一下/了 (报个价, 下个单, 签了约, 询一下价). */
const SPLIT_HIGH_INTENT = /((?:报|询|下|签)(?:个|一下|下|了)(?:价|单|约)(?![位元词据号子独]))/g;
const HIGH_INTENT = /(招标|投标|标书|采购|预算|参数|替代|报价|(?<!一)下订单|订货|合同|下单|签约|样机|样品|演示|试用|试听|订购|购买|询价|中标|定金|订金|打款|付款)/g;
/** A price question: the spec's words, plus "what does X cost" in its common shapes
 * (单价多少, 课时费多少, 费用大概多少, 多少一台, 怎么收费, 能给到几折). */
const PRICE_QUESTION = /(多少钱|价格|价钱|什么价|优惠|便宜|折扣|打折|打[个几一二三四五六七八九0-9.]{1,3}折|几折|贵不贵|怎么卖|(?:价|费|费用|价位)(?:是|大概|大约|要)?多少|多少一[台个套节件盒支只期次年]|怎么收费|收费标准)/g;

const HOUR = 3600000;

function words(re: RegExp, s: string): string[] {
  const out: string[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) if (!out.includes(m[0])) out.push(m[0]);
  return out;
}

/** A department named after a purchase word (采购部, 采购办, 招标中心) is no signal by itself. */
const DEPARTMENT = /(采购|招标|投标|合同)(部|办|科|处|组|中心|室|员|站)/g;

export function classifyIntent(text: string, hasProduct: boolean): Intent {
  const norm = text.replace(DEPARTMENT, (m) => ' '.repeat(m.length));
  const low = [...words(DISINTEREST, norm), ...words(EN_DISINTEREST, norm)];
  if (low.length) return { level: 'low', keywords: low };
  const high = [...words(HIGH_INTENT, norm), ...words(SPLIT_HIGH_INTENT, norm), ...words(EN_HIGH_INTENT, norm)];
  if (high.length) return { level: 'high', keywords: high };
  const price = [...words(PRICE_QUESTION, norm), ...words(EN_PRICE_QUESTION, norm)];
  if (price.length || hasProduct) return { level: 'medium', keywords: price };
  return { level: 'low', keywords: [] };
}

/** Start of ref's local day, as an instant: ref minus the wall-clock time elapsed. */
function dayStartMs(refMs: number, refCivil: { h: number; mi: number; s: number }): number {
  return refMs - ((refCivil.h * 60 + refCivil.mi) * 60 + refCivil.s) * 1000 - (refMs % 1000);
}

export function classifyUrgency(
  norm: string, dates: ResolvedDate[], refMs: number, refCivil: { h: number; mi: number; s: number }, intent: Level,
): Urgency {
  const negated = words(NEGATED_URGENCY, norm);
  const masked = norm.replace(NEGATED_URGENCY, (m) => ' '.repeat(m.length)).replace(NOT_URGENT_JI, (m) => ' '.repeat(m.length));
  const urgent = words(URGENCY, masked);
  const from = dayStartMs(refMs, refCivil);
  const within = (hours: number) => dates.filter((d) => d.startMs >= from && d.startMs <= refMs + hours * HOUR);
  const near = within(48);
  // The customer's own words outrank the calendar: negated urgency is never high; with a date
  // within 48 hours it is medium, else low, whatever later date or purchase word comes with it
  // (不赶时间,下周三再说; 不急,先把报价发我).
  if (negated.length) {
    return near.length ? { level: 'medium', score: 0.5, reasons: [...negated, ...near.map((d) => d.text)] }
      : { level: 'low', score: 0.05, reasons: negated };
  }
  if (urgent.length || near.length) {
    const reasons = [...urgent, ...near.map((d) => d.text)];
    const score = Math.min(1, 0.8 + 0.05 * (urgent.length + near.length));
    return { level: 'high', score, reasons };
  }
  const soon = within(24 * 14);
  if (soon.length) {
    // Sooner dates order first among medium messages.
    const hoursAway = Math.max(0, (soon[0].startMs - refMs) / HOUR);
    return { level: 'medium', score: Math.round((0.65 - 0.15 * Math.min(1, hoursAway / (24 * 14))) * 100) / 100, reasons: soon.map((d) => d.text) };
  }
  if (intent === 'high') return { level: 'medium', score: 0.4, reasons: ['intent:high'] };
  return { level: 'low', score: 0.1, reasons: [] };
}
