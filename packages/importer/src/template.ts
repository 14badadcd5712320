/**
 * Templates a clerk downloads: the columns of an upload kind (the first alias of each as the header), one
 * example row, and in XLSX a 说明 sheet describing every column. No exported text runs as a formula: in
 * XLSX a text cell is typed text (textCell), in CSV it gets an apostrophe (neutralizeCsvField).
 */
import ExcelJS from 'exceljs';
import { UPLOAD_COLUMNS, UPLOAD_KIND_LABELS, type ColumnSpec, type ColumnType, type UploadKind } from '@vbp/contracts/uploads';

type ExampleValue = string | number | Date;

/** The example row of each template (parsing a template returns exactly this row). */
export const TEMPLATE_EXAMPLES: Record<UploadKind, Record<string, ExampleValue>> = {
  'batch-results': {
    genericName: '阿托伐他汀钙片',
    dosageForm: '口服常释剂型',
    spec: '20mg',
    packaging: '7片/盒',
    unit: '片',
    company: '示例制药有限公司',
    selectedPrice: 0.12,
    referencePrice: 1.5,
    selected: '是',
    supplyRegions: '北京、天津、河北',
    nhsaCode: 'XC10AAA000A001010100001',
  },
  'province-volumes': { region: '北京市', genericName: '阿托伐他汀钙片', dosageForm: '口服常释剂型', spec: '20mg', contractYear: 1, quantity: 1200000, unit: '片' },
  implementations: { batchCode: 'D9', region: '北京市', startOn: new Date(Date.UTC(2024, 2, 1)), contractEndOn: new Date(Date.UTC(2026, 11, 31)), note: '示例' },
  'agreed-volumes': {
    institutionCode: 'H11010500001',
    institutionName: '示例医院',
    batchCode: 'D9',
    genericName: '阿托伐他汀钙片',
    dosageForm: '口服常释剂型',
    contractYear: 1,
    quantity: 12000,
    unit: '片',
  },
  purchases: { institutionCode: 'H11010500001', institutionName: '示例医院', month: '2024-03', nhsaCode: 'XC10AAA000A001010100001', quantity: 1200, amount: 144 },
};

const TYPE_LABELS: Record<ColumnType, string> = {
  text: '文本',
  decimal: '数值',
  integer: '整数',
  date: '日期',
  month: '月份',
  boolean: '是/否',
  regions: '省份列表',
};

const TYPE_HINTS: Record<ColumnType, string> = {
  text: '',
  decimal: '可含千分位、“万”；如 1,234.50、1.2万',
  integer: '',
  date: '如 2024-03-01、2024/3/1、2024年3月1日',
  month: '如 2024-03、2024年3月、202403',
  boolean: '是/否、Y/N、中选/未中选、√',
  regions: '用顿号或逗号分隔，如“北京、天津”；“新疆（含兵团）”含新疆生产建设兵团',
};

const CODE_KEYS = new Set(['institutionCode', 'nhsaCode', 'batchCode']);
const FORMULA_START = /^[=+\-@\t\r]/u;
const PLAIN_NEGATIVE = /^-\d+(\.\d+)?$/u;

/**
 * A CSV field no spreadsheet will run: CSV has no types, so text that starts like a formula (= + - @, a tab
 * or CR) gets the usual defence, a leading apostrophe, which stays visible. A plain negative number is left
 * as it is (it reads as the number either way). CSV only: an XLSX cell is typed text instead (textCell).
 */
export function neutralizeCsvField(value: ExampleValue): ExampleValue {
  if (typeof value !== 'string' || PLAIN_NEGATIVE.test(value)) return value;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * An XLSX cell holding text stays text: it is written as a string (never a formula, whatever it starts with)
 * with the text number format '@', so `-5` is not a number and typing over it keeps text. Nothing is added to
 * what it says. (exceljs 4 cannot write the quote-prefix style; '@' is what it can.)
 */
export function textCell(cell: ExcelJS.Cell): void {
  if (typeof cell.value === 'string') cell.numFmt = '@';
}

function notes(spec: ColumnSpec): string {
  const parts = [spec.hintZh, TYPE_HINTS[spec.type], spec.emptyMarkers ? `无数值可填：${spec.emptyMarkers.join('、')}` : ''];
  return parts.filter(Boolean).join('；');
}

function csvField(value: ExampleValue): string {
  const safe = neutralizeCsvField(value);
  const text = safe instanceof Date ? safe.toISOString().slice(0, 10) : String(safe);
  return /[",\r\n]/u.test(text) ? `"${text.replace(/"/gu, '""')}"` : text;
}

export async function buildTemplate(kind: UploadKind, format: 'xlsx' | 'csv'): Promise<Buffer> {
  const specs = UPLOAD_COLUMNS[kind];
  const example = TEMPLATE_EXAMPLES[kind];
  const headers = specs.map((s) => s.aliases[0] ?? s.labelZh);
  const row = specs.map((s) => example[s.key] ?? '');
  if (format === 'csv') {
    const lines = [headers.map(csvField).join(','), row.map(csvField).join(',')];
    return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
  }

  const workbook = new ExcelJS.Workbook();
  workbook.creator = '集采看板 VBP Tracker';
  const sheet = workbook.addWorksheet(UPLOAD_KIND_LABELS[kind].zh, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(headers).eachCell(textCell);
  const data = sheet.addRow(row);
  data.eachCell(textCell);
  specs.forEach((spec, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = Math.max(12, [...(headers[i] ?? '')].length * 2 + 4);
    // Codes as text, so Excel does not turn long codes into 1.23E+17.
    if (CODE_KEYS.has(spec.key)) column.numFmt = '@';
    const cell = data.getCell(i + 1);
    if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd';
  });
  styleHeader(sheet.getRow(1), specs.map((s) => s.required));

  const about = workbook.addWorksheet('说明');
  about.columns = [
    { header: '列名', width: 18 },
    { header: 'Column', width: 20 },
    { header: '必填', width: 8 },
    { header: '类型', width: 10 },
    { header: '可识别的表头写法', width: 60 },
    { header: '说明', width: 60 },
  ];
  for (const spec of specs) {
    about.addRow([spec.labelZh, spec.labelEn, spec.required ? '是' : '否', TYPE_LABELS[spec.type], spec.aliases.join('、'), notes(spec)]).eachCell(textCell);
  }
  styleHeader(about.getRow(1), []);
  about.eachRow((r) => (r.alignment = { wrapText: true, vertical: 'top' }));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function styleHeader(row: ExcelJS.Row, required: boolean[]): void {
  row.height = 24;
  row.eachCell((cell, col) => {
    cell.font = { bold: true, color: { argb: required[col - 1] ? 'FFC00000' : 'FF1F1F1F' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = { bottom: { style: 'thin', color: { argb: 'FF8EA9DB' } } };
  });
}
