/**
 * Monthly purchases files of any size for the benchmarks and the fault tests: institution × product ×
 * month, every row a distinct key for up to institutions × products × 12 rows, with the codes `prepare`
 * puts into the database (H00001…, X000001…). Written in 1 MB chunks, never held in memory.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export const PURCHASES_HEADER = '医疗机构编码,采购月份,医保编码,采购数量,采购金额';

export interface PurchasesShape {
  institutions: number;
  products: number;
}

export const institutionCode = (n: number) => `H${String(n).padStart(5, '0')}`;
export const productCode = (n: number) => `X${String(n).padStart(6, '0')}`;

/** Row k: a distinct institution × product × month of `year`; `salt` changes the quantities. */
export function purchaseRow(k: number, shape: PurchasesShape, year = 2024, salt = 0) {
  const institution = (k % shape.institutions) + 1;
  const rest = Math.floor(k / shape.institutions);
  const product = (rest % shape.products) + 1;
  const month = Math.floor(rest / shape.products) % 12;
  const quantity = (((k + salt) * 7919) % 100000) / 10;
  return { institution, product, month: `${year}-${String(month + 1).padStart(2, '0')}-01`, quantity: quantity.toFixed(1), amount: (quantity * 3.2).toFixed(2) };
}

/** Writes rows [from, from + rows) as a CSV the way a clerk's file comes (Chinese headers, CRLF). */
export async function writePurchasesCsv(path: string, rows: number, shape: PurchasesShape, options: { from?: number; year?: number; salt?: number } = {}) {
  const out = createWriteStream(path);
  out.write(`${PURCHASES_HEADER}\r\n`);
  let chunk = '';
  const from = options.from ?? 0;
  for (let k = from; k < from + rows; k++) {
    const r = purchaseRow(k, shape, options.year, options.salt);
    chunk += `${institutionCode(r.institution)},${r.month.slice(0, 7)},${productCode(r.product)},${r.quantity},${r.amount}\r\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
