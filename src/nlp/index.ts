export { extract, DEFAULT_TIME_ZONE, MAX_TEXT_LENGTH } from './extract.js';
export { validateCatalog } from './catalog.matcher.js';
export { warmUp } from './segmenter.js';
export type {
  Budget, Catalog, CatalogProduct, Currency, DateGrain, DateMention, Entities, ExtractOptions, Intent, Level,
  Organization, Person, ProductMention, Role, Urgency,
} from './types.js';
