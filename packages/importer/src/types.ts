/**
 * What parseUpload produces: typed rows per upload kind (numbers as decimal strings, dates as YYYY-MM-DD,
 * months as the month's first day, provinces as GB/T 2260 codes), issues, and a summary.
 */
import type { UploadCounts, UploadIssue, UploadKind } from '@vbp/contracts/uploads';
import type { DetectedEncoding, EncodingOverride } from './encoding';
import type { ImportLimits } from './limits';
import type { FileType } from './read';

export interface BatchResultRow {
  /** Without the dosage form when the cell held both (阿托伐他汀钙片口服常释剂型 → 阿托伐他汀钙片). */
  genericName: string;
  dosageForm: string | null;
  category: string | null;
  /** Without the main-strength marker (20mg* → 20mg). */
  spec: string;
  packaging: string | null;
  unit: string | null;
  company: string;
  selectedPrice: string;
  /** The ceiling price (最高有效申报价). */
  referencePrice: string | null;
  /** The company's own 3-year average price (企业近三年平均价): the cut's base in the 4+7 pilot. */
  companyAveragePrice: string | null;
  /** The cut as published (a fraction), checked against the prices. */
  publishedCut: string | null;
  /** The main strength (主规格), marked 20mg* in the 4+7 pilot's table. */
  mainStrength: boolean;
  selected: true;
  supplyRegions: string[] | null;
  nhsaCode: string | null;
  note: string | null;
  /** The agreed quantity the table lists for the strength (采购数量, in minimum units), where it has the column. */
  quantity: string | null;
  withoutPrice: false;
}

/**
 * A strength of a selected variety listed without a price of its own (the 4+7 pilot priced only the main
 * strength; its other strengths carry 规格 and 采购数量 and follow the main strength's price): kept, not an error.
 */
export interface StrengthWithoutPriceRow extends Omit<BatchResultRow, 'company' | 'selectedPrice' | 'quantity' | 'withoutPrice'> {
  company: string | null;
  selectedPrice: null;
  quantity: string;
  withoutPrice: true;
}

/** A batch-results row listing a bid that did not win: kept apart, not an error. */
export interface NotSelectedBatchResultRow extends Omit<BatchResultRow, 'spec' | 'company' | 'selectedPrice' | 'selected' | 'withoutPrice'> {
  spec: string | null;
  company: string | null;
  selectedPrice: string | null;
  selected: false;
  /** 流标 (no product won the variety) was written in the row. */
  failedTender: boolean;
}

export interface ImplementationRow {
  batchCode: string;
  /** One row may name several provinces (北京、天津); 新疆（含兵团） gives 650000 and 660000. */
  region: string[];
  startOn: string;
  contractEndOn: string | null;
  note: string | null;
}

/** A province's agreed volume of a variety (and strength) in a batch, as the joint procurement office publishes it. */
export interface ProvinceVolumeRow {
  /** The province: one per row (新疆（含兵团） gives 650000 and 660000, stored as Xinjiang's). */
  region: string[];
  genericName: string;
  dosageForm: string | null;
  /** The strength without a main-strength marker (20mg* → 20mg), or null when the table does not split by strength. */
  spec: string | null;
  mainStrength: boolean;
  /** Null: the first year (the table's volume column says 首年). */
  contractYear: string | null;
  /** In minimum units: a header in 万片/万支/万袋 is scaled by 10,000. */
  quantity: string;
  unit: string | null;
}

/** A province-volumes row of a variety whose tender failed (流标 in the volume cell). */
export interface NotSelectedProvinceVolumeRow extends Omit<ProvinceVolumeRow, 'quantity'> {
  quantity: null;
  failedTender: boolean;
}

export interface AgreedVolumeRow {
  institutionCode: string;
  institutionName: string | null;
  batchCode: string;
  genericName: string;
  dosageForm: string | null;
  nhsaCode: string | null;
  /** The contract year as written: 1–10 (year of the contract) or a calendar year. */
  contractYear: string;
  quantity: string;
  unit: string | null;
}

export interface PurchaseRow {
  institutionCode: string;
  institutionName: string | null;
  /** First day of the month: 2024-03-01. */
  month: string;
  nhsaCode: string;
  /** Negative for returns (a warning, not an error). */
  quantity: string;
  amount: string | null;
}

export interface RowValuesByKind {
  'batch-results': BatchResultRow | StrengthWithoutPriceRow;
  implementations: ImplementationRow;
  'province-volumes': ProvinceVolumeRow;
  'agreed-volumes': AgreedVolumeRow;
  purchases: PurchaseRow;
}

export type RowValues<K extends UploadKind> = RowValuesByKind[K];

export interface ParsedRow<V> {
  rowNumber: number;
  values: V;
}

export type NotSelectedRow<K extends UploadKind> = K extends 'batch-results' ? NotSelectedBatchResultRow : K extends 'province-volumes' ? NotSelectedProvinceVolumeRow : never;

export interface HeaderInfo {
  fileType: FileType;
  sheet: string | null;
  sheets: string[];
  encoding: DetectedEncoding | EncodingOverride | null;
  /** The header row as Excel numbers it (the lower row of a two-row header). */
  headerRow: number;
  /** Header as written → column key, for every matched column. */
  mapping: Record<string, string>;
  /** Headers that matched no column (shown in the mapping step). */
  unmatchedHeaders: string[];
}

export type ParseCounts = Required<Pick<UploadCounts, 'rows' | 'valid' | 'invalid' | 'skipped' | 'notSelected'>>;

export interface ParseSummary {
  fileType: FileType | null;
  sheet: string | null;
  sheets: string[];
  encoding: DetectedEncoding | EncodingOverride | null;
  headerRow: number | null;
  mapping: Record<string, string>;
  unmatchedHeaders: string[];
  /** rows = every row below the header = valid + invalid + skipped + notSelected. */
  counts: ParseCounts;
  errorCount: number;
  warningCount: number;
  /** Names read after joining text broken by whitespace (湖 北 → 湖北), each distinct cell once: not problems. */
  notices: UploadIssue[];
  moreNotices: number;
  /** The problem that stopped the import (also listed among the errors), or null. */
  fatal: UploadIssue | null;
}

/**
 * The stream parseUpload yields: one `header` event once the columns are known (absent when the file
 * cannot be read), then `batch` events in file order, then exactly one `end`.
 */
export type ParseEvent<K extends UploadKind> =
  | { type: 'header'; header: HeaderInfo }
  | {
      type: 'batch';
      rows: ParsedRow<RowValues<K>>[];
      notSelected: ParsedRow<NotSelectedRow<K>>[];
      errors: UploadIssue[];
      warnings: UploadIssue[];
    }
  | { type: 'end'; summary: ParseSummary };

export interface ParseOptions {
  /** XLSX: the sheet to read; default: the first sheet whose header row matches best. */
  sheet?: string;
  /** CSV: the encoding, overriding detection. */
  encoding?: EncodingOverride;
  /** File header → column key ('' to ignore a column); overrides header detection for those headers. */
  mapping?: Record<string, string>;
  limits?: Partial<ImportLimits>;
  /** Called with the number of rows read so far, after each batch. */
  onProgress?: (rowsRead: number) => void;
}
