/** One catalog product; `aliases` are alternative names a customer might type. */
export interface CatalogProduct {
  id: string;
  name: string;
  aliases?: string[];
}

export type Catalog = readonly CatalogProduct[];

/** self: the writer names themselves; addressee: the person greeted or thanked; other: anyone else. */
export type Role = 'self' | 'addressee' | 'other';

export interface Person {
  name: string;
  title: string | null;
  text: string;
  role: Role;
}

export interface Organization {
  name: string;
  text: string;
}

export interface ProductMention {
  id: string;
  name: string;
  text: string;
}

export type DateGrain = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

export interface DateMention {
  text: string;
  /** ISO 8601 with the tenant's offset, e.g. 2026-03-19T10:00:00+08:00 */
  start: string;
  /** Inclusive end of a range, same format as `start`; null for a single point. */
  end: string | null;
  grain: DateGrain;
}

export type Currency = 'CNY' | 'USD' | 'EUR';

export interface Budget {
  min: number | null;
  max: number | null;
  currency: Currency;
  text: string;
}

export type Level = 'high' | 'medium' | 'low';

export interface Urgency {
  level: Level;
  score: number;
  reasons: string[];
}

export interface Intent {
  level: Level;
  keywords: string[];
}

export interface Entities {
  persons: Person[];
  /** Index in `persons` of the customer: the first self, else the first other; never an addressee. */
  contact: number | null;
  phones: string[];
  emails: string[];
  wechatIds: string[];
  organizations: Organization[];
  products: ProductMention[];
  dates: DateMention[];
  budget: Budget | null;
  urgency: Urgency;
  intent: Intent;
}

export interface ExtractOptions {
  /** The moment the message was sent; relative dates resolve against it. Default: now. */
  ref?: Date | string;
  /** IANA zone of the tenant. Default Asia/Shanghai. */
  timeZone?: string;
  /** Products to match; default none. */
  catalog?: Catalog;
}
