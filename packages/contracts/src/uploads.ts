/**
 * Uploads: the kinds of file a data clerk loads, their columns (with the many header spellings real
 * tables use), and what the API answers. Browser-safe: the web app shows the same columns in its mapping
 * step and the templates list them.
 */
import { z } from 'zod';
import { RegionCode } from './api';
import { DateInput, Id, multiLineText, PageParam, pageSizeParam, singleLineText } from './inputs';

export const UPLOAD_KINDS = ['batch-results', 'implementations', 'province-volumes', 'agreed-volumes', 'purchases'] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];
export const UploadKindSchema = z.enum(UPLOAD_KINDS);

export const UPLOAD_KIND_LABELS: Record<UploadKind, { zh: string; en: string }> = {
  'batch-results': { zh: '中选结果', en: 'Batch results' },
  implementations: { zh: '落地执行', en: 'Implementations' },
  'province-volumes': { zh: '各省约定采购量', en: 'Province agreed volumes' },
  'agreed-volumes': { zh: '约定采购量', en: 'Agreed volumes' },
  purchases: { zh: '月度采购', en: 'Monthly purchases' },
};

/**
 * `interrupted`: the server stopped while the upload was being validated or committed, or the rows staged at
 * validation were lost (a database restart); nothing was written, and the stored file can be validated again.
 */
export const UPLOAD_STATUSES = ['processing', 'validated', 'invalid', 'committing', 'committed', 'failed', 'interrupted', 'reverted'] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

/** How a cell is read. */
export type ColumnType =
  | 'text'
  | 'decimal' // numbers: full-width digits, thousands separators, 万, % (as the column allows)
  | 'integer'
  | 'date' // 2024-03-01, 2024/3/1, 2024年3月1日, Excel serials
  | 'month' // 2024-03, 2024年3月, 202403, a date in the month
  | 'boolean' // 是/否, Y/N, 中选/未中选 …
  | 'regions'; // a list of provinces: 北京、天津，河北; 新疆（含兵团）

export interface ColumnSpec {
  /** The field in the typed row. */
  key: string;
  labelZh: string;
  labelEn: string;
  type: ColumnType;
  required: boolean;
  /**
   * Header spellings, compared after normalisation (case, spaces, full/half width, line breaks and
   * parenthesised units removed). The first is the template's header.
   */
  aliases: readonly string[];
  /** For `decimal`: whether a percentage (52%) is expected (stored as a fraction). */
  percent?: boolean;
  /** Text in a number cell that means "no value" for this column (流标, -, /). */
  emptyMarkers?: readonly string[];
  hintZh?: string;
}

const EMPTY = ['-', '—', '/', '／', '无', 'N/A', 'NA', '流标'] as const;

export const UPLOAD_COLUMNS: Record<UploadKind, readonly ColumnSpec[]> = {
  'batch-results': [
    { key: 'genericName', labelZh: '通用名', labelEn: 'Generic name', type: 'text', required: true, aliases: ['通用名', '药品通用名', '品种名', '品种名称', '品种', '药品名称', '产品名称', '通用名称', 'generic name', 'variety'], hintZh: '可含剂型，如“阿托伐他汀钙片口服常释剂型”' },
    { key: 'dosageForm', labelZh: '剂型', labelEn: 'Dosage form', type: 'text', required: false, aliases: ['剂型', '剂型分组', '剂型组', 'dosage form'] },
    { key: 'category', labelZh: '类别', labelEn: 'Category', type: 'text', required: false, aliases: ['类别', '产品类别', '耗材类别', '分类', 'category'], hintZh: '耗材：如“冠脉支架”' },
    { key: 'spec', labelZh: '规格', labelEn: 'Specification', type: 'text', required: true, aliases: ['规格', '规格包装', '规格型号', '型号规格', '规格/型号', 'spec', 'specification'] },
    { key: 'packaging', labelZh: '包装', labelEn: 'Packaging', type: 'text', required: false, aliases: ['包装', '包装规格', '中选规格包装', '中选包装', '转换比', '包装数量', 'packaging', 'pack'] },
    { key: 'unit', labelZh: '单位', labelEn: 'Unit', type: 'text', required: false, aliases: ['单位', '最小制剂单位', '计价单位', '价格单位', 'unit'] },
    { key: 'company', labelZh: '企业', labelEn: 'Company', type: 'text', required: true, aliases: ['企业', '生产企业', '中选企业', '拟中选企业', '中标企业', '生产企业-全称', '申报企业', '企业名称', '生产企业名称', '拟中选企业名称', '中选企业名称', '上市许可持有人', '药品上市许可持有人', '申报企业名称', 'company', 'manufacturer'], emptyMarkers: ['流标'] },
    { key: 'selectedPrice', labelZh: '中选价格', labelEn: 'Selected price', type: 'decimal', required: false, aliases: ['中选价格', '中选价', '中选单价', '单位中选价格', '最小制剂单位中选价格', '最小规格价格', '最小制剂单位价格', '最小包装单位价格', '竞标价格', '拟中选价格', '中标价格', '申报价', 'selected price', 'price'], emptyMarkers: EMPTY, hintZh: '元，按最小制剂单位（片、粒、支）；未中选可留空' },
    { key: 'referencePrice', labelZh: '最高有效申报价', labelEn: 'Ceiling price', type: 'decimal', required: false, aliases: ['最高有效申报价', '最高限价', '最高有效申报价格', '原价', '挂网价', 'ceiling price', 'reference price'], emptyMarkers: EMPTY },
    {
      key: 'companyAveragePrice',
      labelZh: '企业近三年平均价',
      labelEn: 'Company 3-year average price',
      type: 'decimal',
      required: false,
      aliases: ['企业近三年平均价', '企业近三年平均价格', '企业近三年采购平均价', '近三年平均价', '近三年平均价格', 'company average price'],
      emptyMarkers: EMPTY,
      hintZh: '4+7 试点：降幅以企业自身近三年平均价为基准（无最高有效申报价时使用）',
    },
    {
      key: 'quantity',
      labelZh: '采购数量',
      labelEn: 'Agreed quantity',
      type: 'decimal',
      required: false,
      aliases: ['采购数量', '约定采购量', '首年约定采购量', '协议采购量', '采购量', 'agreed quantity'],
      emptyMarkers: EMPTY,
      hintZh: '4+7 试点：各规格的约定采购数量（表头注明“万片”时按万换算）；只有数量、没有价格的规格随主规格定价',
    },
    { key: 'publishedCut', labelZh: '降幅', labelEn: 'Published cut', type: 'decimal', percent: true, required: false, aliases: ['降幅', '价格降幅', '降价幅度', '平均降幅', 'price cut'], emptyMarkers: EMPTY, hintZh: '公布的降幅，用于核对' },
    { key: 'selected', labelZh: '是否中选', labelEn: 'Selected?', type: 'boolean', required: false, aliases: ['是否中选', '是否拟中选', '是否中标', '中选结果', '拟中选', 'selected'] },
    { key: 'supplyRegions', labelZh: '供应省份', labelEn: 'Supply regions', type: 'regions', required: false, aliases: ['供应省份', '供应地区', '供应省（区）', '供应省(区)', '供应省区', '供应区域', 'supply regions'] },
    { key: 'nhsaCode', labelZh: '医保编码', labelEn: 'NHSA code', type: 'text', required: false, aliases: ['医保编码', '国家医保代码', '国家医保编码', '医保代码', '药品代码', 'nhsa code'] },
    { key: 'note', labelZh: '备注', labelEn: 'Note', type: 'text', required: false, aliases: ['备注', '说明', 'note'], hintZh: '“未接受议价”“流标”标记未中选' },
  ],
  implementations: [
    { key: 'batchCode', labelZh: '批次编号', labelEn: 'Batch code', type: 'text', required: true, aliases: ['批次编号', '批次', '批次代码', '集采批次', 'batch', 'batch code'] },
    { key: 'region', labelZh: '省份', labelEn: 'Region', type: 'regions', required: true, aliases: ['省份', '地区', '省（区、市）', '执行省份', '落地省份', 'region', 'province'] },
    { key: 'startOn', labelZh: '执行日期', labelEn: 'Start date', type: 'date', required: true, aliases: ['执行日期', '落地日期', '开始执行日期', '执行开始日期', '开始日期', 'start date'] },
    { key: 'contractEndOn', labelZh: '协议期满日期', labelEn: 'Contract end', type: 'date', required: false, aliases: ['协议期满日期', '协议到期日', '协议期满', '结束日期', '协议截止日期', 'contract end'] },
    { key: 'note', labelZh: '备注', labelEn: 'Note', type: 'text', required: false, aliases: ['备注', '说明', 'note'] },
  ],
  // the joint procurement office's table of each province's first-year agreed volume, per variety and strength
  'province-volumes': [
    { key: 'region', labelZh: '地区', labelEn: 'Region', type: 'regions', required: true, aliases: ['地区', '省份', '省（区、市）', '省(区、市)', '省区市', '省别', '采购地区', 'region', 'province'], hintZh: '每行一个省份；“新疆（含兵团）”计入新疆' },
    { key: 'genericName', labelZh: '品种', labelEn: 'Variety', type: 'text', required: true, aliases: ['品种', '品种名', '品种名称', '通用名', '药品通用名', '药品名称', '产品名称', 'variety', 'generic name'] },
    { key: 'dosageForm', labelZh: '剂型', labelEn: 'Dosage form', type: 'text', required: false, aliases: ['剂型', '剂型分组', 'dosage form'] },
    { key: 'spec', labelZh: '规格', labelEn: 'Strength', type: 'text', required: false, aliases: ['规格', '品规', '规格型号', 'spec', 'strength'], hintZh: '不分规格时留空' },
    { key: 'contractYear', labelZh: '协议年度', labelEn: 'Contract year', type: 'integer', required: false, aliases: ['协议年度', '年度', '协议期年度', 'contract year'], hintZh: '留空为首年' },
    {
      key: 'quantity',
      labelZh: '首年约定采购量',
      labelEn: 'First-year agreed volume',
      type: 'decimal',
      required: true,
      aliases: ['首年约定采购量', '约定采购量', '首年约定量', '约定量', '首年采购量', '协议采购量', '约定采购数量', '采购量', 'agreed volume', 'quantity'],
      emptyMarkers: EMPTY,
      hintZh: '按最小制剂单位（片、粒、支、袋）；表头写“（万片/万支/万袋）”时乘以一万',
    },
    { key: 'unit', labelZh: '单位', labelEn: 'Unit', type: 'text', required: false, aliases: ['单位', '计量单位', '最小制剂单位', 'unit'] },
  ],
  'agreed-volumes': [
    { key: 'institutionCode', labelZh: '医疗机构编码', labelEn: 'Institution code', type: 'text', required: true, aliases: ['医疗机构编码', '机构编码', '医疗机构代码', '机构代码', '医院编码', 'institution code'] },
    { key: 'institutionName', labelZh: '医疗机构名称', labelEn: 'Institution', type: 'text', required: false, aliases: ['医疗机构名称', '机构名称', '医院名称', '医疗机构', 'institution'] },
    { key: 'batchCode', labelZh: '批次编号', labelEn: 'Batch code', type: 'text', required: true, aliases: ['批次编号', '批次', '批次代码', 'batch'] },
    { key: 'genericName', labelZh: '通用名', labelEn: 'Generic name', type: 'text', required: true, aliases: ['通用名', '药品通用名', '品种名', '品种名称', '产品名称', 'generic name'] },
    { key: 'dosageForm', labelZh: '剂型', labelEn: 'Dosage form', type: 'text', required: false, aliases: ['剂型', '剂型分组', 'dosage form'] },
    { key: 'nhsaCode', labelZh: '医保编码', labelEn: 'NHSA code', type: 'text', required: false, aliases: ['医保编码', '国家医保代码', '国家医保编码', 'nhsa code'], hintZh: '按产品约定时填写' },
    { key: 'contractYear', labelZh: '协议年度', labelEn: 'Contract year', type: 'integer', required: true, aliases: ['协议年度', '年度', '协议期年度', 'contract year'] },
    { key: 'quantity', labelZh: '约定采购量', labelEn: 'Agreed volume', type: 'decimal', required: true, aliases: ['约定采购量', '约定量', '协议采购量', '约定数量', 'agreed volume', 'quantity'] },
    { key: 'unit', labelZh: '单位', labelEn: 'Unit', type: 'text', required: false, aliases: ['单位', '计量单位', 'unit'] },
  ],
  purchases: [
    { key: 'institutionCode', labelZh: '医疗机构编码', labelEn: 'Institution code', type: 'text', required: true, aliases: ['医疗机构编码', '机构编码', '医疗机构代码', '机构代码', '医院编码', 'institution code'] },
    { key: 'institutionName', labelZh: '医疗机构名称', labelEn: 'Institution', type: 'text', required: false, aliases: ['医疗机构名称', '机构名称', '医院名称', 'institution'] },
    { key: 'month', labelZh: '采购月份', labelEn: 'Month', type: 'month', required: true, aliases: ['采购月份', '月份', '年月', '采购年月', '统计月份', 'month'] },
    { key: 'nhsaCode', labelZh: '医保编码', labelEn: 'NHSA code', type: 'text', required: true, aliases: ['医保编码', '国家医保代码', '国家医保编码', '药品代码', 'nhsa code'] },
    { key: 'quantity', labelZh: '采购数量', labelEn: 'Quantity', type: 'decimal', required: true, aliases: ['采购数量', '数量', '采购量', 'quantity'] },
    { key: 'amount', labelZh: '采购金额', labelEn: 'Amount', type: 'decimal', required: false, aliases: ['采购金额', '金额', '采购金额（元）', 'amount'] },
  ],
};

/** A problem in a file: where (as the clerk sees it in Excel) and what, in both languages. */
export const UploadIssue = z.object({
  /** 1-based row number in the sheet or file, as Excel shows it; null for file-level problems. */
  row: z.number().int().nullable(),
  /** The column's header as written in the file (or its letter), null for row-level problems. */
  column: z.string().nullable(),
  value: z.string().nullable(),
  code: z.string(),
  message: z.string(),
  messageZh: z.string(),
});
export type UploadIssue = z.infer<typeof UploadIssue>;

export const UploadCounts = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  skipped: z.number().int(),
  /** batch-results: rows listing a bid that did not win, kept apart from selected products. */
  notSelected: z.number().int().optional(),
  new: z.number().int().optional(),
  changed: z.number().int().optional(),
  unchanged: z.number().int().optional(),
  /** batch-results: strengths listed without a price of their own (they follow the main strength's price). */
  withoutPrice: z.number().int().optional(),
  /** batch-results: placeholder varieties the upload will replace. */
  placeholdersReplaced: z.number().int().optional(),
  /** agreed-volumes: institutions the file introduces (created on commit). */
  institutionsCreated: z.number().int().optional(),
  /** province-volumes: rows of varieties the batch did not select (warned, kept out of totals). */
  unselectedVarieties: z.number().int().optional(),
  /** province-volumes: rows of other provinces in a provincial clerk's file (skipped). */
  otherRegions: z.number().int().optional(),
});
export type UploadCounts = z.infer<typeof UploadCounts>;

export const UploadView = z.object({
  id: z.number().int(),
  kind: UploadKindSchema,
  status: z.enum(UPLOAD_STATUSES),
  fileName: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  regionCode: RegionCode.nullable(),
  batchCode: z.string().nullable(),
  sheet: z.string().nullable(),
  counts: UploadCounts,
  /** Progress of processing or committing: rows done of total (total null while unknown). */
  progress: z.object({ phase: z.string(), done: z.number().int(), total: z.number().int().nullable() }).nullable(),
  /** Why the upload is `interrupted` or `failed`, and what to do next. */
  statusReason: z
    .object({ code: z.string(), phase: z.string().nullable(), message: z.string(), messageZh: z.string(), at: z.string() })
    .nullable(),
  errors: z.array(UploadIssue),
  /** Errors beyond the ones listed (the report is capped). */
  moreErrors: z.number().int(),
  warnings: z.array(UploadIssue),
  moreWarnings: z.number().int(),
  /**
   * Names read after joining text broken by spaces or line breaks (text copied from a PDF: 湖 北 → 湖北),
   * each distinct cell once with what it held: not problems, listed so the clerk can check the reading.
   */
  notices: z.array(UploadIssue),
  moreNotices: z.number().int(),
  /** Headers found and the column each was matched to ('' = not matched, ignored). */
  mapping: z.record(z.string(), z.string()).nullable(),
  sheets: z.array(z.string()),
  /** An earlier upload with the same content, if any. */
  duplicateOf: z.number().int().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  committedAt: z.string().nullable(),
  revertedAt: z.string().nullable(),
  /**
   * When retention removed the stored file (an upload never committed, or reverted, past its keeping time):
   * it can no longer be read again nor committed; the clerk uploads the file anew.
   */
  fileRemovedAt: z.string().nullable(),
});
export type UploadView = z.infer<typeof UploadView>;

export const UploadList = z.object({ items: z.array(UploadView.omit({ errors: true, warnings: true, notices: true })), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export type UploadList = z.infer<typeof UploadList>;

export const CommitUploadInput = z.object({ acknowledgeWarnings: z.boolean().default(false) });
export type CommitUploadInput = z.infer<typeof CommitUploadInput>;

export const UploadListQuery = z.object({
  kind: UploadKindSchema.optional(),
  status: z.enum(UPLOAD_STATUSES).optional(),
  region: RegionCode.optional(),
  from: DateInput.optional(),
  to: DateInput.optional(),
  page: PageParam,
  pageSize: pageSizeParam(200, 50),
});

/**
 * File header → column key ('' = not matched, ignored), stored as JSON: headers as written in the file (a
 * header may break lines), keys as UPLOAD_COLUMNS names them.
 */
export const UploadMapping = z.record(multiLineText({ max: 200, allowEmpty: true }), singleLineText({ max: 64, allowEmpty: true }));

/** Choices the clerk can change on an upload before committing it: the file is read again with them. */
export const ReprocessUploadInput = z.object({
  sheet: singleLineText({ max: 200 }).optional(),
  encoding: z.enum(['utf-8', 'gb18030']).optional(),
  /** File header → column key (see UPLOAD_COLUMNS); overrides what was detected. */
  mapping: UploadMapping.optional(),
});
export type ReprocessUploadInput = z.infer<typeof ReprocessUploadInput>;

export const SavedMapping = z.object({
  id: z.number().int(),
  kind: UploadKindSchema,
  name: z.string(),
  /** The normalised headers of the files this mapping was saved for. */
  headerSignature: z.string(),
  mapping: z.record(z.string(), z.string()),
  regionCode: RegionCode.nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type SavedMapping = z.infer<typeof SavedMapping>;
export const SavedMappingList = z.object({ items: z.array(SavedMapping) });

/** Save the mapping of an upload (its headers and how they map) for files of the same shape. */
export const SaveMappingInput = z.object({ uploadId: Id, name: singleLineText({ max: 100 }) });
export type SaveMappingInput = z.infer<typeof SaveMappingInput>;
