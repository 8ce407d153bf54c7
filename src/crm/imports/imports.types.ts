/** What a spreadsheet column can become. `custom` keeps it in custom_fields under its header; `skip` drops it. */
export const IMPORT_FIELDS = ['name', 'phone', 'email', 'wechat_id', 'company', 'title', 'region', 'tags'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type ColumnTarget = ImportField | 'custom' | 'skip';
export const COLUMN_TARGETS: readonly ColumnTarget[] = [...IMPORT_FIELDS, 'custom', 'skip'];

/** header -> target, in header order. */
export type Mapping = Record<string, ColumnTarget>;

export const FIELD_LABELS: Record<ColumnTarget, string> = {
  name: '姓名', phone: '电话', email: '邮箱', wechat_id: '微信号', company: '单位', title: '职务', region: '地区', tags: '标签',
  custom: '自定义字段', skip: '不导入',
};

/** A problem found in one row: an error rejects the row, a warning lets it in and says what was assumed. */
export interface RowProblem {
  code: string;
  severity: 'error' | 'warning';
  column?: string;
  message: string;
}

export interface ColumnProposal {
  header: string;
  target: ColumnTarget;
  /** synonym: the header's words; values: what the column holds; remembered: the admin's earlier choice; none. */
  by: 'synonym' | 'values' | 'remembered' | 'none';
  samples: string[];
}

export type RowOutcome = 'created' | 'merged' | 'unchanged' | 'rejected';

export interface ImportCounts {
  created: number;
  /** Rows that went into a customer that already existed (or an earlier row of the file created). */
  merged: number;
  /** Of those, rows whose values changed nothing. */
  unchanged: number;
  /** Rows that recorded a disagreeing value as a conflict on the customer. */
  conflicts: number;
  rejected: number;
  /** Existing customers merged into another because one row named identities of both. */
  customersMerged: number;
}

export const emptyCounts = (): ImportCounts => ({ created: 0, merged: 0, unchanged: 0, conflicts: 0, rejected: 0, customersMerged: 0 });

export const IMPORT_LIMITS = {
  maxBytes: 50 * 1024 * 1024,
  maxRows: 200_000,
  /** Sum of the declared uncompressed sizes in an .xlsx; a 50 MB workbook of text unpacks to well under this. */
  maxUnzippedBytes: 1024 * 1024 * 1024,
  /** Unpacked / packed, whole archive. Real workbooks sit around 5-15; zip bombs in the hundreds or thousands. */
  maxZipRatio: 200,
  maxColumns: 200,
  maxCellChars: 10_000,
} as const;
