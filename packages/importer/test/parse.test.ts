import { UploadIssue } from '@vbp/contracts/uploads';
import { afterAll, describe, expect, it } from 'vitest';
import { collectUpload } from '../src/parse';
import { AGREED_VOLUMES, BATCH_RESULTS, FORMATS, IMPLEMENTATIONS, PURCHASES, tableFile, type Format } from './fixtures';
import { tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function source(rows: Parameters<typeof tableFile>[0], format: Format) {
  const { data, fileName } = await tableFile(rows, format);
  return { path: tmp.file(fileName, data), fileName };
}

const expectedEncoding: Record<Format, string | null> = { xlsx: null, 'utf-8': 'utf-8', 'utf-8-bom': 'utf-8-bom', gb18030: 'gb18030' };

describe.each(FORMATS)('every kind as %s', (format) => {
  it('reads batch results: title rows, multi-line header, generic+form in one cell, merged rows, losing bids', async () => {
    const result = await collectUpload(await source(BATCH_RESULTS, format), 'batch-results');
    expect(result.summary.fatal).toBeNull();
    expect(result.summary.encoding).toBe(expectedEncoding[format]);
    expect(result.summary.headerRow).toBe(3);
    expect(result.summary.mapping).toMatchObject({ 品种名称: 'genericName', '中选价格 （元）': 'selectedPrice', 供应省份: 'supplyRegions' });
    expect(result.summary.unmatchedHeaders).toEqual(['序号']);
    expect(result.rows).toEqual([
      {
        rowNumber: 4,
        values: {
          genericName: '阿托伐他汀钙片',
          dosageForm: '口服常释剂型',
          category: null,
          spec: '10mg',
          packaging: '7片/盒',
          unit: null,
          company: '甲制药有限公司',
          selectedPrice: '0.12',
          referencePrice: '1.5',
          companyAveragePrice: null,
          publishedCut: null,
          mainStrength: false,
          selected: true,
          supplyRegions: ['110000', '120000'],
          nhsaCode: null,
          note: null,
          quantity: null,
          withoutPrice: false,
        },
      },
      {
        rowNumber: 5,
        values: expect.objectContaining({ genericName: '阿托伐他汀钙片', company: '甲制药有限公司', spec: '20mg', selectedPrice: '0.2', referencePrice: '2.50', supplyRegions: ['110000', '120000'] }),
      },
    ]);
    expect(result.notSelected).toEqual([
      {
        rowNumber: 6,
        values: expect.objectContaining({ genericName: '阿托伐他汀钙片', company: '乙制药（海南）有限公司', selectedPrice: null, selected: false, failedTender: false, supplyRegions: null }),
      },
      { rowNumber: 7, values: expect.objectContaining({ genericName: '苯磺酸氨氯地平片', dosageForm: '口服常释剂型', company: null, selected: false, failedTender: true }) },
    ]);
    expect(result.errors).toEqual([
      {
        row: 8,
        column: '中选价格 （元）',
        value: '约5元',
        code: 'NOT_A_NUMBER',
        message: 'Row 8, column "中选价格 （元）": the value "约5元" is not a valid number',
        messageZh: '第 8 行“中选价格 （元）”列的值“约5元”不是有效数字',
      },
    ]);
    expect(result.warnings).toEqual([]);
    expect(result.summary.counts).toEqual({ rows: 6, valid: 2, invalid: 1, skipped: 1, notSelected: 2 });
  });

  it('reads the 4+7 pilot’s strengths without a price: after the priced main strength, and as the variety’s first row', async () => {
    const pilot = [
      ['4+7城市药品集中采购拟中选结果表'],
      ['序号', '品种名', '剂型', '规格', '采购数量（万片/万袋/万支）', '拟中选企业', '中选规格包装', '最小规格价格', '企业近三年平均价（最小规格）', '备注'],
      // the priced main strength first; the other strength below it has a quantity only
      [1, '阿托伐他汀钙片', '片剂', '20mg*', 12.5, '北京嘉林药业股份有限公司', '20mg*7片', 0.94, 6.5, ''],
      ['', '', '片剂', '10mg', 3.25, '', '', '', '', ''],
      // the unpriced strength is the variety's first row; the company and price come on the row below
      [2, '氯吡格雷片', '片剂', '25mg', 0.8, '', '', '', '', ''],
      ['', '', '片剂', '75mg*', 20, '深圳信立泰药业股份有限公司', '75mg*7片', 3.18, 14.2, ''],
      // a failed tender's strengths
      [3, '头孢呋辛酯片', '片剂', '0.25g*', '流标', '流标', '', '流标', '流标', '未接受议价'],
      // a forgotten price is still an error: the row has its pack
      [4, '厄贝沙坦片', '片剂', '150mg*', 1, '浙江华海药业股份有限公司', '150mg*14片', '', 1.68, ''],
    ];
    const result = await collectUpload(await source(pilot, format), 'batch-results');
    expect(result.summary.fatal).toBeNull();
    const shape = result.rows.map((r) => {
      const v = r.values;
      return [r.rowNumber, v.genericName, v.spec, v.mainStrength, v.quantity, v.company, v.selectedPrice, v.withoutPrice];
    });
    expect(shape).toEqual([
      [3, '阿托伐他汀钙片', '20mg', true, '125000', '北京嘉林药业股份有限公司', '0.94', false],
      [4, '阿托伐他汀钙片', '10mg', false, '32500', '北京嘉林药业股份有限公司', null, true],
      [5, '氯吡格雷片', '25mg', false, '8000', null, null, true],
      [6, '氯吡格雷片', '75mg', true, '200000', '深圳信立泰药业股份有限公司', '3.18', false],
    ]);
    expect(result.notSelected.map((r) => [r.rowNumber, r.values.genericName, r.values.failedTender])).toEqual([[7, '头孢呋辛酯片', true]]);
    expect(result.errors.map((e) => [e.row, e.code])).toEqual([[8, 'SELECTED_PRICE_MISSING']]);
    expect(result.summary.counts).toEqual({ rows: 6, valid: 4, invalid: 1, skipped: 0, notSelected: 1 });
  });

  it('reads implementations: province lists, date spellings, continuation rows', async () => {
    const result = await collectUpload(await source(IMPLEMENTATIONS, format), 'implementations');
    expect(result.summary.headerRow).toBe(3);
    expect(result.rows).toEqual([
      { rowNumber: 4, values: { batchCode: 'D9', region: ['110000', '120000'], startOn: '2024-03-01', contractEndOn: '2026-12-31', note: null } },
      { rowNumber: 5, values: { batchCode: 'D9', region: ['150000'], startOn: '2024-03-01', contractEndOn: null, note: '接续' } },
    ]);
    expect(result.errors.map((e) => [e.row, e.code, e.column])).toEqual([
      [6, 'END_BEFORE_START', '协议期满日期'],
      [7, 'UNKNOWN_REGION', '执行省份'],
      [8, 'NOT_A_DATE', '开始执行日期'],
    ]);
    expect(result.errors[1]!.messageZh).toBe('第 7 行“执行省份”列的值“火星”中有无法识别的省份：火星');
    expect(result.summary.counts).toMatchObject({ rows: 5, valid: 2, invalid: 3 });
  });

  it('reads agreed volumes: thousands separators, 万, contract-year spellings', async () => {
    const result = await collectUpload(await source(AGREED_VOLUMES, format), 'agreed-volumes');
    expect(result.rows).toEqual([
      {
        rowNumber: 3,
        values: {
          institutionCode: 'H11010500001',
          institutionName: '甲医院',
          batchCode: 'D9',
          genericName: '阿托伐他汀钙片',
          dosageForm: '口服常释剂型',
          nhsaCode: null,
          contractYear: '1',
          quantity: '1200',
          unit: '片',
        },
      },
      { rowNumber: 4, values: expect.objectContaining({ institutionCode: 'H11010500001', institutionName: '甲医院', genericName: '氨氯地平片', dosageForm: null, quantity: '12000' }) },
    ]);
    expect(result.errors.map((e) => [e.row, e.code])).toEqual([[5, 'NEGATIVE_QUANTITY']]);
  });

  it('reads purchases: month spellings, negative values as warnings', async () => {
    const result = await collectUpload(await source(PURCHASES, format), 'purchases');
    expect(result.summary.headerRow).toBe(1);
    expect(result.rows).toEqual([
      { rowNumber: 2, values: { institutionCode: 'H11010500001', institutionName: '甲医院', month: '2024-03-01', nhsaCode: 'XC10AAA000A001010100001', quantity: '1200', amount: '144.00' } },
      { rowNumber: 3, values: expect.objectContaining({ month: '2024-04-01', quantity: '-10', amount: '-1.20' }) },
    ]);
    expect(result.warnings.map((w) => [w.row, w.code, w.column])).toEqual([
      [3, 'NEGATIVE_VALUE', '采购数量'],
      [3, 'NEGATIVE_VALUE', '采购金额（元）'],
    ]);
    expect(result.errors.map((e) => [e.row, e.code])).toEqual([[4, 'NOT_A_MONTH']]);
    for (const issue of [...result.errors, ...result.warnings]) expect(() => UploadIssue.parse(issue)).not.toThrow();
  });
});

describe('table conventions', () => {
  it('scales numbers by the unit in the header, keeps ="…" codes, skips pre-numbered empty rows', async () => {
    const rows = [
      ['序号', '医疗机构编码', '采购月份', '医保编码', '采购数量（万片）', '采购金额（万元）'],
      [1, '="00012"', '2024-03', 'XC1', '1.5', '2'],
      [2, 'H2', '2024-03', 'XC1', '3万', 0.25],
      [3, '', '', '', '', ''],
      [4],
    ];
    const result = await collectUpload(await source(rows, 'utf-8'), 'purchases');
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => [r.values.institutionCode, r.values.quantity, r.values.amount])).toEqual([
      ['00012', '15000', '20000'],
      ['H2', '30000', '2500'],
    ]);
    expect(result.summary.counts).toMatchObject({ rows: 4, valid: 2, skipped: 2 });
  });
});

describe('batch-results warnings', () => {
  it('warns on deep cuts, prices above the ceiling and prices that look like pack prices', async () => {
    const rows = [
      ['通用名', '剂型', '规格', '包装', '企业', '中选价格', '最高有效申报价'],
      ['甲片', '口服常释剂型', '10mg', '28片/盒', '一药业', '0.5', '2'],
      ['甲片', '口服常释剂型', '10mg', '28片/盒', '二药业', '0.6', '2'],
      ['甲片', '口服常释剂型', '10mg', '28片/盒', '三药业', '16.8', '20'],
      ['乙片', '口服常释剂型', '5mg', '7片', '四药业', '0.04', '1'],
      ['丙片', '口服常释剂型', '5mg', '7片', '五药业', '3', '2'],
    ];
    const result = await collectUpload(await source(rows, 'utf-8'), 'batch-results');
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(5);
    expect(result.warnings.map((w) => [w.row, w.code, w.column])).toEqual([
      [5, 'PRICE_CUT_ABOVE_95', '中选价格'],
      [6, 'SELECTED_ABOVE_CEILING', '中选价格'],
      [4, 'PRICE_LOOKS_LIKE_PACK_PRICE', '中选价格'],
    ]);
    expect(result.warnings[2]!.messageZh).toContain('28');
  });
});

describe('names copied from a PDF', () => {
  it('reads names broken by spaces and line breaks whole, and lists each such cell once with what it held', async () => {
    const rows = [
      ['批次编号', '省份', '执行日期'],
      ['N9', '湖 北', '2024-03-01'],
      ['N9', '新疆\n（含兵团）', '2024-03-01'],
      ['N9', '湖 北', '2024-03-01'],
      ['N9', '北京 天津', '2024-03-01'],
    ];
    const result = await collectUpload(await source(rows, 'utf-8'), 'implementations');
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => r.values.region)).toEqual([['420000'], ['650000', '660000'], ['420000'], ['110000', '120000']]);
    expect(result.summary.notices.map((n) => [n.row, n.column, n.value, n.code])).toEqual([
      [2, '省份', '湖 北', 'NAME_JOINED'],
      [3, '省份', '新疆\n（含兵团）', 'NAME_JOINED'],
    ]);
    expect(result.summary.notices[0]!.messageZh).toContain('按“湖北”读取');
    expect(UploadIssue.array().safeParse(result.summary.notices).success).toBe(true);
  });
});

describe('the 4+7 pilot’s result sheet', () => {
  const HEADER = ['序号', '品种名', '剂型', '规格', '采购数量（万片/万袋/万支）', '拟中选企业', '中选规格包装', '每盒价格', '最小规格价格', '企业近三年平均价（最小规格）', '降幅', '原研企业及市场占比', '备注'];
  const ROWS = [
    ['4+7城市药品集中采购拟中选结果'],
    HEADER,
    [1, '阿托伐他汀钙片', '片剂', '10mg', 7258.3, '北京嘉林药业股份有限公司', '7片/盒', 2.94, 0.42, 2.56, '83.59%', '辉瑞 45%', ''],
    ['', '', '', '20mg*', 17265.1, '北京嘉林药业股份有限公司', '7片/盒', 6.6, 0.94, 6.06, '84.49%', '', ''],
    [2, '孟鲁司特钠片', '片剂', '10mg*', 2530, '流标', '', '流标', '流标', '', '', '默沙东 60%', '未接受议价'],
    [3, '头孢呋辛酯片', '片剂', '0.25g*', 1200, '成都倍特药业有限公司', '12片/盒', 6.96, 0.58, 1.07, '45.79%', '', ''],
  ];

  it('reads one row per strength under the variety’s first row, strips the main-strength marker, and keeps the company average as the cut’s base', async () => {
    const result = await collectUpload(await source(ROWS, 'xlsx'), 'batch-results');
    expect(result.errors).toEqual([]);
    expect(result.summary.mapping).toMatchObject({
      品种名: 'genericName',
      拟中选企业: 'company',
      中选规格包装: 'packaging',
      最小规格价格: 'selectedPrice',
      '企业近三年平均价（最小规格）': 'companyAveragePrice',
      降幅: 'publishedCut',
      备注: 'note',
    });
    expect(result.rows.map((r) => [r.rowNumber, r.values.genericName, r.values.spec, r.values.mainStrength, r.values.selectedPrice, r.values.companyAveragePrice, r.values.publishedCut, r.values.referencePrice])).toEqual([
      [3, '阿托伐他汀钙片', '10mg', false, '0.42', '2.56', '0.8359', null],
      [4, '阿托伐他汀钙片', '20mg', true, '0.94', '6.06', '0.8449', null],
      [6, '头孢呋辛酯片', '0.25g', true, '0.58', '1.07', '0.4579', null],
    ]);
    // a tender that failed: counted apart, no company called 流标
    expect(result.notSelected).toEqual([{ rowNumber: 5, values: expect.objectContaining({ genericName: '孟鲁司特钠片', spec: '10mg', company: null, failedTender: true }) }]);
    expect(result.summary.counts).toMatchObject({ valid: 3, notSelected: 1, invalid: 0 });
    expect(result.warnings).toEqual([]);
  });

  it('warns when the published cut is not the one the prices give', async () => {
    const rows = ROWS.map((r) => [...r]);
    rows[2]![10] = '93.59%';
    const result = await collectUpload(await source(rows, 'utf-8'), 'batch-results');
    expect(result.warnings.map((w) => [w.row, w.column, w.code])).toEqual([[3, '降幅', 'PUBLISHED_CUT_DIFFERS']]);
    expect(result.warnings[0]!.messageZh).toContain('较企业近三年平均价');
  });
});

describe('empty rows', () => {
  it('skips every way a row can be empty: blank, spaces (ideographic, non-breaking), line breaks, zero-width characters', async () => {
    const rows = [
      ['批次编号', '省份', '执行日期'],
      ['N9', '北京', '2024-03-01'],
      ['', '', ''],
      ['\u3000', '\u00a0', ' \n '],
      ['\u200b', '\ufeff', '\u200d'],
      ['N9', '天津', '2024-03-02'],
    ];
    // (the test's GB18030 writer knows two-byte codes only, not the zero-width characters)
    for (const format of FORMATS.filter((f) => f !== 'gb18030')) {
      const result = await collectUpload(await source(rows, format), 'implementations');
      expect(result.errors, format).toEqual([]);
      expect(result.rows.map((r) => r.rowNumber), format).toEqual([2, 6]);
    }
  });
});
