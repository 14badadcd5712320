import ExcelJS from 'exceljs';
import { UPLOAD_COLUMNS, UPLOAD_KINDS } from '@vbp/contracts/uploads';
import { afterAll, describe, expect, it } from 'vitest';
import { collectUpload } from '../src/parse';
import { buildTemplate, neutralizeCsvField } from '../src/template';
import { streamXlsxTable } from '../src/xlsx-export';
import type { RowValuesByKind } from '../src/types';
import { tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** What parsing each template's example row gives. */
const EXPECTED: RowValuesByKind = {
  'batch-results': {
    genericName: '阿托伐他汀钙片',
    dosageForm: '口服常释剂型',
    category: null,
    spec: '20mg',
    packaging: '7片/盒',
    unit: '片',
    company: '示例制药有限公司',
    selectedPrice: '0.12',
    referencePrice: '1.5',
    companyAveragePrice: null,
    publishedCut: null,
    mainStrength: false,
    selected: true,
    supplyRegions: ['110000', '120000', '130000'],
    nhsaCode: 'XC10AAA000A001010100001',
    note: null,
    quantity: null,
    withoutPrice: false,
  },
  'province-volumes': { region: ['110000'], genericName: '阿托伐他汀钙片', dosageForm: '口服常释剂型', spec: '20mg', mainStrength: false, contractYear: '1', quantity: '1200000', unit: '片' },
  implementations: { batchCode: 'D9', region: ['110000'], startOn: '2024-03-01', contractEndOn: '2026-12-31', note: '示例' },
  'agreed-volumes': {
    institutionCode: 'H11010500001',
    institutionName: '示例医院',
    batchCode: 'D9',
    genericName: '阿托伐他汀钙片',
    dosageForm: '口服常释剂型',
    nhsaCode: null,
    contractYear: '1',
    quantity: '12000',
    unit: '片',
  },
  purchases: { institutionCode: 'H11010500001', institutionName: '示例医院', month: '2024-03-01', nhsaCode: 'XC10AAA000A001010100001', quantity: '1200', amount: '144' },
};

/** Keys the importer derives from other cells (20mg* → spec 20mg, mainStrength; a strength without a price). */
const DERIVED: Partial<Record<keyof RowValuesByKind, string[]>> = { 'batch-results': ['mainStrength', 'withoutPrice'], 'province-volumes': ['mainStrength'] };

describe('templates', () => {
  it('the typed row interfaces name exactly the columns of each kind', () => {
    for (const kind of UPLOAD_KINDS) {
      const keys = Object.keys(EXPECTED[kind]).sort();
      expect(keys, kind).toEqual([...UPLOAD_COLUMNS[kind].map((c) => c.key), ...(DERIVED[kind] ?? [])].sort());
    }
  });

  it.each(UPLOAD_KINDS.flatMap((kind) => (['xlsx', 'csv'] as const).map((format) => [kind, format] as const)))('%s.%s parses back to its example row', async (kind, format) => {
    const data = await buildTemplate(kind, format);
    const fileName = `${kind}.${format}`;
    const result = await collectUpload({ path: tmp.file(fileName, data), fileName }, kind);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.summary.headerRow).toBe(1);
    expect(Object.values(result.summary.mapping).sort()).toEqual(UPLOAD_COLUMNS[kind].map((c) => c.key).sort());
    expect(result.rows).toEqual([{ rowNumber: 2, values: EXPECTED[kind] }]);
    if (format === 'csv') expect([...data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('has a styled header and a 说明 sheet describing every column', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await buildTemplate('batch-results', 'xlsx')) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['中选结果', '说明']);
    const header = wb.worksheets[0]!.getRow(1);
    expect(header.getCell(1).value).toBe('通用名');
    expect(header.getCell(1).font?.bold).toBe(true);
    const about = wb.getWorksheet('说明')!;
    expect(about.getRow(1).values).toEqual([undefined, '列名', 'Column', '必填', '类型', '可识别的表头写法', '说明']);
    expect(about.rowCount).toBe(UPLOAD_COLUMNS['batch-results'].length + 1);
    expect(about.getRow(2).values).toEqual(expect.arrayContaining(['通用名', 'Generic name', '是', '文本']));
    about.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value === 'string') expect(cell.value).not.toMatch(/^[=+\-@]/u);
      }),
    );
  });

  it('gives CSV fields that a spreadsheet would run as formulas an apostrophe (CSV has no text type)', () => {
    expect(neutralizeCsvField('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(neutralizeCsvField('+1')).toBe("'+1");
    expect(neutralizeCsvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralizeCsvField('-')).toBe("'-");
    expect(neutralizeCsvField('-12.5')).toBe('-12.5');
    expect(neutralizeCsvField(-3)).toBe(-3);
    expect(neutralizeCsvField('通用名')).toBe('通用名');
  });

  it('writes XLSX text as typed text: exactly what it says, never a formula, never a number', async () => {
    const texts = ['=1+1', '-5', '+86 25 1234', '@x', '=HYPERLINK("http://x")', '-12.5', '\tz', '通用名'];
    const chunks: Buffer[] = [];
    const stream = streamXlsxTable({ sheetName: '导出', preamble: ['=标题'], columns: [{ header: '备注' }, { header: '数量', format: 'integer' }], rows: texts.map((t, i) => [t, -i]) });
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('导出')!;
    const cells = [sheet.getCell('A1'), ...texts.map((_, i) => sheet.getCell(`A${i + 3}`))];
    expect(cells.map((c) => c.value)).toEqual(['=标题', ...texts]);
    for (const cell of cells) {
      expect(cell.type, String(cell.value)).toBe(ExcelJS.ValueType.String);
      expect(cell.numFmt, String(cell.value)).toBe('@');
    }
    // numbers stay numbers
    expect(sheet.getCell('B4').value).toBe(-1);
  });
});
