/**
 * Realistic messy tables for each upload kind (title rows, multi-line headers, merged-cell continuation
 * rows, odd number and date spellings, a bad row or two), written as XLSX and as CSV in three encodings.
 */
import { csvBytes, type CsvEncoding, xlsxBytes, type XlsxCell } from './helpers';

export const FORMATS = ['xlsx', 'utf-8', 'utf-8-bom', 'gb18030'] as const;
export type Format = (typeof FORMATS)[number];

type Table = XlsxCell[][];

function csvRows(rows: Table): string[][] {
  return rows.map((r) =>
    r.map((c) => {
      if (c === null || c === undefined) return '';
      if (c instanceof Date) return c.toISOString().slice(0, 10);
      return String(c);
    }),
  );
}

export async function tableFile(rows: Table, format: Format): Promise<{ data: Buffer; fileName: string }> {
  if (format === 'xlsx') return { data: await xlsxBytes([{ name: 'Sheet1', rows }]), fileName: 'table.xlsx' };
  return { data: csvBytes(csvRows(rows), format as CsvEncoding), fileName: 'table.csv' };
}

const d = (y: number, m: number, day: number) => new Date(Date.UTC(y, m - 1, day));

export const BATCH_RESULTS: Table = [
  ['第九批国家组织药品集中采购拟中选结果表'],
  ['（价格单位：元）'],
  ['序号', '品种名称', '规格', '包装', '生产企业', '中选价格\n（元）', '最高有效申报价（元）', '是否中选', '供应省份'],
  [1, '阿托伐他汀钙片口服常释剂型', '10mg', '7片/盒', '甲制药有限公司', 0.12, 1.5, '是', '北京、天津'],
  [2, '', '20mg', '7片/盒', '', 0.2, '2.50', '是', ''],
  [3, '', '20mg', '7片/盒', '乙制药(海南)有限公司', '', 2.5, '否', ''],
  [4, '苯磺酸氨氯地平片口服常释剂型', '', '', '', '流标', '', '', ''],
  [5, '氯吡格雷片口服常释剂型', '75mg', '7片/盒', '丁药业', '约5元', 10, '是', '新疆（含兵团）'],
  ['合计', '', '', '', '', '', '', '', ''],
];

export const IMPLEMENTATIONS: Table = [
  ['各批次集采落地执行情况'],
  [],
  ['集采批次', '执行省份', '开始执行日期', '协议期满日期', '备注'],
  ['D9', '北京市、天津', '2024/3/1', '2026年12月31日', ''],
  ['', '内蒙古自治区', d(2024, 3, 1), '', '接续'],
  ['D8', '新疆（含兵团）', '2023-11-01', '2022-01-01', ''],
  ['D7', '火星', '2023-11-01', '', ''],
  ['D6', '广西壮族自治区', '2024-02-30', '', ''],
];

export const AGREED_VOLUMES: Table = [
  ['约定采购量分配表（第九批）'],
  ['医疗机构编码', '医疗机构名称', '批次', '药品通用名', '协议年度', '约定采购量', '单位'],
  ['H11010500001', '甲医院', 'D9', '阿托伐他汀钙片口服常释剂型', '第一年', '1,200', '片'],
  ['', '', 'D9', '氨氯地平片', 1, '1.2万', '片'],
  ['H11010500002', '乙医院', 'D9', '阿托伐他汀钙片', 1, '-5', '片'],
];

export const PURCHASES: Table = [
  ['医疗机构编码', '医疗机构名称', '采购月份', '国家医保代码', '采购数量', '采购金额（元）'],
  ['H11010500001', '甲医院', '2024年3月', 'XC10AAA000A001010100001', '1200', '144.00'],
  ['H11010500001', '甲医院', '202404', 'XC10AAA000A001010100001', -10, '-1.20'],
  ['H11010500002', '乙医院', '2024-13', 'XC10AAA000A001010100001', '1', '1'],
];
