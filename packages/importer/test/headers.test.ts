import { describe, expect, it } from 'vitest';
import { findHeaderRow, headerKey, matchHeaders } from '../src/headers';

describe('header matching', () => {
  it('compares headers without case, width, spaces, line breaks, units or required marks', () => {
    expect(headerKey('中选\n价格（元/片）')).toBe('中选价格');
    expect(headerKey('*通用名')).toBe('通用名');
    expect(headerKey('Generic  Name (INN)')).toBe('genericname');
    expect(headerKey('ＳＰＥＣ')).toBe('spec');
    expect(headerKey('采购金额(元)(含税)')).toBe('采购金额');
  });

  it('matches Chinese and English spellings and says what is missing', () => {
    const match = matchHeaders(['序号', 'Generic name', 'SPECIFICATION', '生产企业\n名称', '中选价格（元）', 'Ceiling Price', '备注'], 'batch-results');
    expect(match.columns.map((c) => [c.index, c.key])).toEqual([
      [1, 'genericName'],
      [2, 'spec'],
      [3, 'company'],
      [4, 'selectedPrice'],
      [5, 'referencePrice'],
      [6, 'note'],
    ]);
    expect(match.columns[2]!.header).toBe('生产企业 名称');
    expect(match.unmatched).toEqual(['序号']);
    expect(match.missingRequired).toEqual([]);
    expect(matchHeaders(['通用名'], 'batch-results').missingRequired.map((s) => s.key)).toEqual(['spec', 'company']);
  });

  it('matches a header that begins with a known spelling', () => {
    const match = matchHeaders(['医疗机构编码', '采购年月', '国家医保代码', '采购数量合计', '采购金额（元）'], 'purchases');
    expect(Object.fromEntries(match.columns.map((c) => [c.header, c.key]))).toEqual({
      医疗机构编码: 'institutionCode',
      采购年月: 'month',
      国家医保代码: 'nhsaCode',
      采购数量合计: 'quantity',
      '采购金额（元）': 'amount',
    });
  });

  it('lets a mapping override detection and ignore columns', () => {
    const match = matchHeaders(['col1', '数量', '金额'], 'purchases', { COL1: 'institutionCode', 数量: '', 金额: 'quantity' });
    expect(match.columns.map((c) => [c.header, c.key])).toEqual([
      ['col1', 'institutionCode'],
      ['金额', 'quantity'],
    ]);
    expect(matchHeaders(['a'], 'purchases', { a: 'nope' }).invalidMapping).toEqual([{ header: 'a', key: 'nope' }]);
  });

  it('finds the header below title rows: the first row matching the most columns', () => {
    const rows = [['2024年第九批集采中选结果'], ['中选结果'], [], ['通用名', '规格', '企业', '中选价格'], ['甲', '1mg', '乙', 1], ['通用名', '规格', '企业', '中选价格']];
    expect(findHeaderRow(rows, 'batch-results')).toMatchObject({ index: 3, span: 1, score: 4 });
    expect(findHeaderRow([['无关'], [1, 2]], 'batch-results')).toBeNull();
  });
});

describe('the published result tables’ headers', () => {
  it.each([
    [
      '4+7 pilot',
      ['序号', '品种名', '剂型', '规格', '采购数量（万片/万袋/万支）', '拟中选企业', '中选规格包装', '每盒价格', '最小规格价格', '企业近三年平均价（最小规格）', '降幅', '原研企业及市场占比', '备注'],
      { 品种名: 'genericName', 剂型: 'dosageForm', 规格: 'spec', '采购数量（万片/万袋/万支）': 'quantity', 拟中选企业: 'company', 中选规格包装: 'packaging', 最小规格价格: 'selectedPrice', '企业近三年平均价（最小规格）': 'companyAveragePrice', 降幅: 'publishedCut', 备注: 'note' },
    ],
    [
      'later national batches',
      ['序号', '品种名称', '剂型', '规格', '包装', '中选企业（上市许可持有人）', '中选价格（元）', '最高有效申报价（元）', '供应省份'],
      { 品种名称: 'genericName', 剂型: 'dosageForm', 规格: 'spec', 包装: 'packaging', '中选企业（上市许可持有人）': 'company', '中选价格（元）': 'selectedPrice', '最高有效申报价（元）': 'referencePrice', 供应省份: 'supplyRegions' },
    ],
    [
      'bid tables',
      ['品种', '剂型', '规格型号', '上市许可持有人', '竞标价格', '最高限价', '是否拟中选'],
      { 品种: 'genericName', 剂型: 'dosageForm', 规格型号: 'spec', 上市许可持有人: 'company', 竞标价格: 'selectedPrice', 最高限价: 'referencePrice', 是否拟中选: 'selected' },
    ],
  ])('reads the %s layout', (_name, headers, expected) => {
    const match = matchHeaders(headers, 'batch-results');
    expect(Object.fromEntries(match.columns.map((c) => [c.header, c.key]))).toEqual(expected);
    expect([match.missingRequired, match.duplicates]).toEqual([[], []]);
  });
});
