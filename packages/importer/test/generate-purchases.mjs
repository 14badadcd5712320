// Writes a synthetic purchases file for the throughput test, in its own process (so the measured process
// does not carry the garbage of building it): node generate-purchases.mjs csv|xlsx <path> <rows>
import { closeSync, openSync, writeSync } from 'node:fs';
import ExcelJS from 'exceljs';

const [format, path, count] = process.argv.slice(2);
const rows = Number(count);
export const HEADER = ['医疗机构编码', '医疗机构名称', '采购月份', '国家医保代码', '采购数量', '采购金额'];

function purchaseRow(i) {
  return [
    `H${String(110105 + (i % 3000)).padStart(11, '0')}`,
    `第${i % 3000}人民医院`,
    `2024-${String((i % 12) + 1).padStart(2, '0')}`,
    `XC10AAA${String(i % 2000).padStart(6, '0')}A001010100001`,
    String((i % 977) + 1),
    ((i % 977) * 1.37).toFixed(2),
  ];
}

if (format === 'csv') {
  const fd = openSync(path, 'w');
  writeSync(fd, `${HEADER.join(',')}\r\n`);
  let lines = [];
  for (let i = 0; i < rows; i++) {
    lines.push(purchaseRow(i).join(','));
    if (lines.length === 10_000 || i === rows - 1) {
      writeSync(fd, `${lines.join('\r\n')}\r\n`);
      lines = [];
    }
  }
  closeSync(fd);
} else {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = writer.addWorksheet('采购明细');
  sheet.addRow(['2024年采购明细（合成数据）']).commit();
  sheet.addRow(HEADER).commit();
  for (let i = 0; i < rows; i++) {
    const [code, name, month, nhsa, quantity, amount] = purchaseRow(i);
    sheet.addRow([code, name, month, nhsa, Number(quantity), Number(amount)]).commit();
  }
  sheet.commit();
  await writer.commit();
}
