/* Entry point: one chat message → Entities (docs/extraction-conventions.md). */
import type { Catalog, DateMention, Entities, ExtractOptions } from './types.js';
import { normalize } from './normalize.js';
import { splitGlued, tokenize } from './segmenter.js';
import { isValidZone } from './time-zone.js';
import { makeRefContext, parseDates } from './dates.parser.js';
import { extractPersons } from './persons.extractor.js';
import { assignRoles } from './roles.js';
import { extractPhones } from './phones.extractor.js';
import { extractEmails, extractWechatIds } from './contacts.extractor.js';
import { extractOrganizations } from './organizations.extractor.js';
import { extractBudget } from './money.parser.js';
import { compileCatalog, matchProducts } from './catalog.matcher.js';
import { classifyIntent, classifyUrgency } from './signals.classifier.js';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
/** Longer messages are cut: nothing a sales rep types needs more, and it bounds the work. */
export const MAX_TEXT_LENGTH = 20000;
const EMPTY: Catalog = Object.freeze([]) as Catalog;

function refMs(ref: Date | string | undefined): number {
  if (ref === undefined) return Date.now();
  const ms = ref instanceof Date ? ref.getTime() : Date.parse(ref);
  if (!Number.isFinite(ms)) throw new Error(`invalid ref: ${String(ref)}`);
  return ms;
}

export function extract(text: string, options: ExtractOptions = {}): Entities {
  if (typeof text !== 'string') throw new Error('text must be a string');
  const zone = options.timeZone ?? DEFAULT_TIME_ZONE;
  if (!isValidZone(zone)) throw new Error(`unknown time zone: ${zone}`);
  const compiled = compileCatalog(options.catalog ?? EMPTY);
  const ctx = makeRefContext(zone, refMs(options.ref));

  // Lone surrogates would make jieba's UTF-8 round trip shift offsets; replace them.
  const orig = (text.length > MAX_TEXT_LENGTH ? text.slice(0, MAX_TEXT_LENGTH) : text)
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  const norm = normalize(orig);
  const tokens = /[\u4e00-\u9fff]/.test(norm) ? splitGlued(tokenize(norm)) : [];

  const dates = parseDates(norm, orig, ctx);
  const products = matchProducts(norm, orig, compiled);
  const intent = classifyIntent(norm, products.length > 0);
  // Catalog matches run alongside segmentation: a person never lies inside a product name.
  const productSpans = products.map((p) => [p.index, p.end] as const);
  const urgency = classifyUrgency(norm, dates, ctx.ms, ctx.civil, intent.level);
  const wechat = extractWechatIds(norm, orig);
  const organizations = extractOrganizations(norm, orig, tokens);

  const { persons, contact } = assignRoles(norm, orig,
    extractPersons(norm, orig, tokens, organizations.map((o) => [o.index, o.index + o.name.length] as const), productSpans));

  return {
    persons,
    contact,
    phones: extractPhones(norm).map((p) => p.phone),
    emails: extractEmails(norm).map((e) => e.value),
    wechatIds: wechat.map((w) => w.value),
    organizations: organizations.map(({ name, text: t }) => ({ name, text: t })),
    products: products.map(({ id, name, text: t }) => ({ id, name, text: t })),
    dates: dates.map(({ text: t, start, end, grain }): DateMention => ({ text: t, start, end, grain })),
    budget: extractBudget(norm, orig),
    urgency,
    intent,
  };
}
