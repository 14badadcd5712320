/**
 * Browser test of the data clerk's pages against the real server (./server.ts: `scripts/start.ts` on a
 * free port, a fresh DATA_DIR, demo mode, VBP_ADMIN_PASSWORD set).
 * - As admin (results of a national batch are loaded by national users): download the templates, upload
 *   the results of D2 (a batch whose list is placeholders) with one non-standard header (厂家名称 for the
 *   company), map it by hand in the report, check again, acknowledge any warnings, commit; the batch's
 *   numbers change in the API and on the overview; revert from the history and they are back.
 * - As admin: the 4+7 pilot's table (strengths with a quantity and no price, before and after the priced
 *   main strength) commits its 25 varieties; the batch page lists the strengths, those that follow the main
 *   strength's price marked, at 1440 and 390 px.
 * - As jiangsu-clerk: a purchases CSV with a bad row shows the error with its row number and column, in
 *   both languages, and cannot be committed; an .xls file is refused with the fix; the phone layout.
 *   A large file (over the API's 5 MB inline limit) is processed in the background: the report shows the
 *   phase and rows done, and the clerk can leave and find the finished report in the history.
 * - As jiangsu-clerk: the server is restarted while a large file is being validated. The report (still
 *   open) shows the upload interrupted, with the server's reason and when, in both languages; the history
 *   finds it by status; 重新校验 validates the stored file again without sending it again.
 * Screenshots go to test-artifacts/ (gitignored).
 */
import { readFile } from 'node:fs/promises';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BatchDetail, Overview } from '@vbp/contracts/api';
import type { UploadView } from '@vbp/contracts/uploads';
import { formatCount, formatDateTime } from '../../src/lib/format';
import { apiSignIn, DEMO_PASSWORD, HAS_CHROMIUM, horizontalOverflow, signIn, type ApiSession } from './server';
import { screenshot, textOf as text, useBrowserSuite, waitForOverview } from './suite';

const ADMIN_PASSWORD = `e2e-admin-${Math.random().toString(36).slice(2, 10)}`;

/** Results of the 2nd national batch as a province might pass them on: 厂家名称 is no alias of 企业. */
const D2_RESULTS = [
  '通用名,剂型,规格,包装,厂家名称,中选价格,最高有效申报价,是否中选',
  '阿卡波糖片,口服常释剂型,50mg,30片/盒,四川绿叶制药股份有限公司,0.1828,1.6,是',
  '阿卡波糖片,口服常释剂型,50mg,30片/盒,杭州中美华东制药有限公司,0.1835,1.6,是',
  '格列美脲片,口服常释剂型,2mg,30片/盒,浙江京新药业股份有限公司,0.1153,1.3,是',
  '对乙酰氨基酚片,口服常释剂型,0.5g,100片/瓶,河北医科大学制药厂,0.0298,0.12,是',
  '盐酸二甲双胍片,口服常释剂型,0.5g,60片/盒,石药集团欧意药业有限公司,0.0425,0.25,否',
].join('\n');

/** Monthly purchases of two Jiangsu hospitals; row 4 (as Excel numbers it) has a month 13 and a quantity in words. */
const JIANGSU_PURCHASES = [
  '医疗机构编码,医疗机构名称,采购月份,医保编码,采购数量,采购金额',
  'H32010200001,南京市鼓楼医院,2024-03,XA10BBA020A001010100001,1200,219.36',
  'H32050300002,苏州大学附属第一医院,2024-03,XA10BBA020A001010100001,800,146.24',
  'H32050300002,苏州大学附属第一医院,2024-13,XA10BBA020A001010100001,一百,18.28',
].join('\n');

describe.skipIf(!HAS_CHROMIUM)('data uploads in a browser', () => {
  // A short grace, so a restart stops the upload job under way instead of waiting for it to finish.
  const suite = useBrowserSuite({ VBP_ADMIN_PASSWORD: ADMIN_PASSWORD, SHUTDOWN_GRACE_SECONDS: '0.2' });
  let adminApi: ApiSession;

  beforeAll(async () => {
    adminApi = await apiSignIn(suite.base, 'admin', ADMIN_PASSWORD);
  });

  const open = (options: BrowserContextOptions = {}) => suite.open({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...options });
  const shot = (page: Page, name: string) => screenshot(page, `uploads-${name}`);
  const waitForStatus = (page: Page, status: string) => page.waitForSelector(`[data-testid="upload-report"][data-status="${status}"]`, { timeout: 60_000 });
  const uploadIdOf = (page: Page) => Number(new URL(page.url()).pathname.split('/').pop());

  async function download(page: Page, selector: string): Promise<{ name: string; body: Buffer }> {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    const path = await file.path();
    return { name: file.suggestedFilename(), body: await readFile(path) };
  }

  it('admin: D2 results with a hand-mapped header are committed, change the numbers, and revert restores them', async () => {
    const before = await adminApi.get<BatchDetail>('/api/batches/D2');
    const overviewBefore = await adminApi.get<Overview>('/api/overview?region=100000');
    expect(before.placeholderCount).toBeGreaterThan(0);

    const { context, page, errors } = await open();
    try {
      await signIn(page, suite.base, 'admin', ADMIN_PASSWORD);
      await page.click('[data-testid="nav-upload"]');
      await page.waitForSelector('[data-testid="upload-form"]');
      expect(await text(page, '[data-testid="nav-upload"]')).toBe('数据上传');

      // The kind, with its templates: Chinese headers in the CSV, a workbook for Excel.
      await page.click('[data-testid="kind-radio-batch-results"]');
      expect(new URL(page.url()).searchParams.get('kind')).toBe('batch-results');
      const csvTemplate = await download(page, '[data-testid="template-batch-results-csv"]');
      expect(csvTemplate.name).toMatch(/\.csv$/);
      const templateHeader = csvTemplate.body.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0]!;
      expect(templateHeader.split(',')).toEqual(expect.arrayContaining(['通用名', '规格', '企业', '中选价格']));
      const xlsxTemplate = await download(page, '[data-testid="template-batch-results-xlsx"]');
      expect(xlsxTemplate.name).toMatch(/\.xlsx$/);
      expect(xlsxTemplate.body.subarray(0, 2).toString('latin1')).toBe('PK');

      // A missing batch is said on submit, at the field.
      await page.setInputFiles('[data-testid="file-input"]', { name: '第二批国家集采中选结果.csv', mimeType: 'text/csv', buffer: Buffer.from(D2_RESULTS, 'utf8') });
      await page.click('[data-testid="upload-submit"]');
      await page.waitForSelector('[data-testid="batch-error"]');

      // The batch, chosen with the keyboard from the search.
      await page.fill('[data-testid="batch-search"]', 'D2');
      await page.waitForSelector('[data-testid="batch-option-D2"]');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="batch-chosen"][data-code="D2"]');
      expect(await text(page, '[data-testid="batch-chosen"]')).toContain(`${before.placeholderCount} 个占位品种`);
      await shot(page, 'new-batch-results');

      await page.click('[data-testid="upload-submit"]');
      await page.waitForURL(/\/uploads\/\d+$/, { timeout: 60_000 });
      await waitForStatus(page, 'invalid');
      const id = uploadIdOf(page);

      // The company column was not recognised: the error names it, and the mapping editor is open.
      const missing = page.locator('[data-testid="issue-row"][data-code="REQUIRED_COLUMN_MISSING"]');
      expect(await missing.count()).toBe(1);
      expect(await missing.getAttribute('data-column')).toBe('企业');
      await page.waitForSelector('[data-testid="mapping-editor"]');
      expect(await page.locator('[data-testid="mapping-item"][data-header="通用名"]').getAttribute('data-key')).toBe('genericName');
      expect(await page.isDisabled('[data-testid="commit-upload"]')).toBe(true);
      await shot(page, 'report-missing-column');

      // Map 厂家名称 → 企业 by hand. The API lists the headers it matched; one it did not is typed in
      // (if a later API lists it with the others, its own select is used).
      const listed = page.locator('[data-testid="mapping-row"][data-header="厂家名称"] select');
      if ((await listed.count()) > 0) {
        await listed.selectOption('company');
      } else {
        await page.fill('[data-testid="mapping-add-header"]', '厂家名称');
        await page.selectOption('[data-testid="mapping-add-column"]', 'company');
        await page.click('[data-testid="mapping-add-submit"]');
        await page.waitForSelector('[data-testid="mapping-row"][data-header="厂家名称"]');
      }
      expect(await page.locator('[data-testid="mapping-still-missing"]').count()).toBe(0);
      await page.click('[data-testid="mapping-reprocess"]');
      await waitForStatus(page, 'validated');
      expect(await page.locator('[data-testid="mapping-item"][data-header="厂家名称"]').getAttribute('data-key')).toBe('company');

      // The headline numbers are the API's, formatted.
      const view = await adminApi.get<UploadView>(`/api/uploads/${id}`);
      expect(view.status).toBe('validated');
      expect(await text(page, '[data-testid="count-rows-value"]')).toBe(formatCount(view.counts.rows, 'zh'));
      expect(await text(page, '[data-testid="count-valid-value"]')).toBe(formatCount(view.counts.valid, 'zh'));
      expect(await text(page, '[data-testid="count-notSelected-value"]')).toBe(formatCount(view.counts.notSelected ?? 0, 'zh'));
      expect(await text(page, '[data-testid="count-placeholdersReplaced-value"]')).toBe(formatCount(before.placeholderCount, 'zh'));
      expect(view.counts.notSelected).toBe(1);

      // Save the mapping for files of the same shape.
      await page.fill('[data-testid="save-mapping-name"]', '省平台导出（厂家名称）');
      await page.click('[data-testid="save-mapping-submit"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="toast"]')?.textContent?.includes('省平台导出'));

      // Warnings, if any, must be acknowledged before the commit button works.
      if (view.warnings.length + view.moreWarnings > 0) {
        expect(await page.isDisabled('[data-testid="commit-upload"]')).toBe(true);
        await page.check('[data-testid="acknowledge-warnings"]');
      }
      await shot(page, 'report-validated');
      expect(await page.isDisabled('[data-testid="commit-upload"]')).toBe(false);
      await page.click('[data-testid="commit-upload"]');
      await waitForStatus(page, 'committed');
      await page.waitForSelector('[data-testid="upload-committed"]');
      await shot(page, 'report-committed');

      // The batch's list is real now: products, no placeholders.
      const after = await adminApi.get<BatchDetail>('/api/batches/D2');
      expect(after.productCount).toBeGreaterThan(0);
      expect(after.placeholderCount).toBe(0);
      expect(after.varietiesArePlaceholders).toBe(false);
      const overviewAfter = await adminApi.get<Overview>('/api/overview?region=100000');
      expect(overviewAfter.coverage.drug.placeholders).toBe(overviewBefore.coverage.drug.placeholders - before.placeholderCount);

      // …and the overview (reached from the report) shows the new count.
      await page.click('[data-testid="committed-overview"]');
      await waitForOverview(page, '100000');
      await page.waitForFunction((v) => document.querySelector('[data-testid="drug-cumulative"]')?.textContent?.trim() === v, formatCount(overviewAfter.coverage.drug.cumulative, 'zh'));

      // Revert from the history, after a confirmation.
      await page.click('[data-testid="nav-uploads"]');
      const row = page.locator(`[data-testid="upload-row"][data-upload-id="${id}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-status')).toBe('committed');
      await shot(page, 'history-committed');
      await row.locator('[data-testid="revert-upload"]').click();
      await page.waitForSelector('[data-testid="revert-dialog"]');
      expect(await text(page, '[data-testid="revert-dialog"]')).toContain('恢复到上传之前的状态');
      await page.click('[data-testid="revert-dialog"] [data-testid="confirm-button"]');
      await page.waitForSelector(`[data-testid="upload-row"][data-upload-id="${id}"][data-status="reverted"]`, { timeout: 90_000 });
      expect(await row.locator('[data-testid="revert-upload"]').count()).toBe(0);

      const reverted = await adminApi.get<BatchDetail>('/api/batches/D2');
      expect(reverted.placeholderCount).toBe(before.placeholderCount);
      expect(reverted.productCount).toBe(before.productCount);
      const overviewReverted = await adminApi.get<Overview>('/api/overview?region=100000');
      expect(overviewReverted.coverage.drug.cumulative).toBe(overviewBefore.coverage.drug.cumulative);
      expect(overviewReverted.coverage.drug.placeholders).toBe(overviewBefore.coverage.drug.placeholders);

      // History filters live in the URL.
      await page.selectOption('[data-testid="filter-status"]', 'reverted');
      await page.click('[data-testid="filter-apply"]');
      await page.waitForURL((url) => url.searchParams.get('status') === 'reverted');
      await page.waitForSelector(`[data-testid="upload-row"][data-upload-id="${id}"]`);
      expect(await page.locator('[data-testid="upload-row"]:not([data-status="reverted"])').count()).toBe(0);

      // The overview shows the count from before the upload again.
      await page.click('[data-testid="nav-overview"]');
      await page.waitForSelector('[data-testid="overview-page"][aria-busy="false"]', { timeout: 30_000 });
      await page.waitForFunction((v) => document.querySelector('[data-testid="drug-cumulative"]')?.textContent?.trim() === v, formatCount(overviewBefore.coverage.drug.cumulative, 'zh'));
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000); // a national batch's commit and its revert recompute every province's summaries: a minute on a busy machine

  it('admin: the 4+7 pilot’s table, whose other strengths have a quantity and no price, commits its 25 varieties; the batch page says those follow the main strength (1440 and 390)', async () => {
    const before = await adminApi.get<BatchDetail>('/api/batches/D1-pilot');
    const selected = before.varieties.filter((v) => v.outcome === 'selected');
    expect(selected).toHaveLength(25);
    // the pilot's layout: 序号 and 品种名 on a variety's first row only; an unpriced strength after its priced
    // main strength, or first with the company and price on the row below; a failed tender
    const rows = ['4+7城市药品集中采购拟中选结果表（测试用合成价格）', '序号,品种名,剂型,规格,采购数量（万片/万袋/万支）,拟中选企业,中选规格包装,最小规格价格,企业近三年平均价（最小规格）,备注'];
    let unpriced = 0;
    selected.forEach((v, i) => {
      const form = v.dosageFormGroup ?? '';
      const priced = (first: boolean) => `${first ? `${i + 1},${v.nameZh}` : ','},${form},20mg*,${100 + i}.5,示例药业${i + 1}有限公司,20mg*7片,${(0.5 + i / 10).toFixed(2)},${(3 + i / 5).toFixed(2)},`;
      const follows = (first: boolean) => `${first ? `${i + 1},${v.nameZh}` : ','},${form},10mg,${20 + i}.25,,,,,`;
      if (i % 5 === 0) rows.push(priced(true), follows(false));
      else if (i % 7 === 3) rows.push(follows(true), priced(false));
      else rows.push(priced(true));
      if (i % 5 === 0 || i % 7 === 3) unpriced++;
    });
    rows.push('26,流标示例片,口服常释剂型,5mg*,流标,流标,,流标,流标,未接受议价');

    const { context, page, errors } = await open({ viewport: { width: 1440, height: 900 } });
    try {
      await signIn(page, suite.base, 'admin', ADMIN_PASSWORD, '/uploads/new?kind=batch-results&batch=D1-pilot');
      await page.waitForSelector('[data-testid="batch-chosen"][data-code="D1-pilot"]');
      await page.setInputFiles('[data-testid="file-input"]', { name: '4+7拟中选结果表.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${rows.join('\r\n')}`, 'utf8') });
      await page.click('[data-testid="upload-submit"]');
      await page.waitForURL(/\/uploads\/\d+$/, { timeout: 60_000 });
      await waitForStatus(page, 'validated');
      const view = await adminApi.get<UploadView>(`/api/uploads/${uploadIdOf(page)}`);
      expect(view.errors).toEqual([]);
      expect(view.counts).toMatchObject({ valid: 25 + unpriced, invalid: 0, notSelected: 1, withoutPrice: unpriced });
      expect(await text(page, '[data-testid="count-withoutPrice-value"]')).toBe(formatCount(unpriced, 'zh'));
      await shot(page, 'pilot-validated');
      if (view.warnings.length + view.moreWarnings > 0) await page.check('[data-testid="acknowledge-warnings"]');
      await page.click('[data-testid="commit-upload"]');
      await waitForStatus(page, 'committed');

      const after = await adminApi.get<BatchDetail>('/api/batches/D1-pilot');
      expect(after.varieties.filter((v) => v.outcome === 'selected')).toHaveLength(25);
      expect(after.products).toHaveLength(25);
      expect(after.strengths.filter((st) => !st.hasPrice)).toHaveLength(unpriced);
      expect(after.strengths).toHaveLength(25 + unpriced);
      await page.goto(`${suite.base}/batches/D1-pilot`);
      await page.waitForSelector('[data-testid="strengths-panel"]', { timeout: 30_000 });
      expect(await page.getAttribute('[data-testid="strengths-table"]', 'data-rows')).toBe(String(after.strengths.length));
      expect(await text(page, '[data-testid="follows-main-note"]')).toContain(`另有 ${unpriced} 个规格`);
      expect(await text(page, '[data-testid="strengths-panel"]')).toContain(`其中 ${unpriced} 个只列采购数量`);
      expect(await page.locator('[data-testid="follows-main-tag"]').count()).toBeGreaterThan(0);
      await page.locator('[data-testid="strengths-panel"]').scrollIntoViewIfNeeded();
      await shot(page, 'pilot-strengths-1440');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }

    const phone = await open({ viewport: { width: 390, height: 844 } });
    try {
      await signIn(phone.page, suite.base, 'admin', ADMIN_PASSWORD, '/batches/D1-pilot');
      await phone.page.waitForSelector('[data-testid="strengths-panel"]', { timeout: 30_000 });
      await phone.page.locator('[data-testid="strengths-panel"]').scrollIntoViewIfNeeded();
      expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
      await shot(phone.page, 'pilot-strengths-390');
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.context.close();
    }
  }, 180_000);

  it('jiangsu-clerk: a bad purchases row is reported with its row and column, and nothing can be committed', async () => {
    const { context, page, errors } = await open();
    try {
      await signIn(page, suite.base, 'jiangsu-clerk', DEMO_PASSWORD);
      await page.click('[data-testid="nav-upload"]');
      await page.click('[data-testid="kind-radio-purchases"]');
      // A provincial clerk's data is their province's: no region to choose.
      expect(await page.locator('[data-testid="upload-region"]').count()).toBe(0);
      expect(await text(page, '[data-testid="own-region"]')).toContain('江苏');

      // An old Excel file is refused before anything is sent, with the fix.
      await page.setInputFiles('[data-testid="file-input"]', { name: '三月采购.xls', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from('not really excel') });
      expect(await text(page, '[data-testid="file-error"]')).toContain('另存为');

      await page.setInputFiles('[data-testid="file-input"]', { name: '江苏三月采购.csv', mimeType: 'text/csv', buffer: Buffer.from(JIANGSU_PURCHASES, 'utf8') });
      expect(await page.locator('[data-testid="file-error"]').count()).toBe(0);
      await page.click('[data-testid="upload-submit"]');
      await page.waitForURL(/\/uploads\/\d+$/, { timeout: 60_000 });
      await waitForStatus(page, 'invalid');
      const id = uploadIdOf(page);

      // The report is at its own address: a reload (or coming back later) shows it again.
      await page.reload();
      await waitForStatus(page, 'invalid');

      const view = await (await apiSignIn(suite.base, 'jiangsu-clerk', DEMO_PASSWORD)).get<UploadView>(`/api/uploads/${id}`);
      const monthError = view.errors.find((e) => e.row === 4 && e.column === '采购月份');
      expect(monthError).toBeDefined();

      // The error, where Excel would show it: row 4, column 采购月份, the cell, the message.
      const row = page.locator('[data-testid="issue-row"][data-row="4"][data-column="采购月份"]');
      expect(await row.count()).toBe(1);
      const cells = (await row.locator('th, td').allTextContents()).map((c) => c.trim());
      expect(cells).toEqual(['4', '采购月份', '2024-13', monthError!.messageZh]);
      expect(await text(page, '[data-testid="errors-cap"]')).toContain(`共 ${view.errors.length} 条`);
      expect(await text(page, '[data-testid="count-invalid-value"]')).toBe(formatCount(view.counts.invalid, 'zh'));

      // Nothing can be committed, and the page says why.
      expect(await page.isDisabled('[data-testid="commit-upload"]')).toBe(true);
      expect(await text(page, '[data-testid="commit-reason"]')).toContain('不能入库');
      // A clerk may not revert: no such control anywhere.
      expect(await page.locator('[data-testid="revert-upload"]').count()).toBe(0);
      expect(await page.locator('[data-testid="report-new-upload"]').count()).toBe(1);
      await shot(page, 'purchases-invalid');

      // The province's office reads the same report, and is offered no upload it would be refused
      const office = await open();
      try {
        await signIn(office.page, suite.base, 'jiangsu-office', DEMO_PASSWORD, `/uploads/${id}`);
        await office.page.waitForSelector('[data-testid="upload-report"][data-status="invalid"]', { timeout: 60_000 });
        expect(await office.page.locator('[data-testid="report-new-upload"]').count()).toBe(0);
        expect(office.errors).toEqual([]);
      } finally {
        await office.context.close();
      }

      // The same report in English.
      await page.click('[data-testid="lang-en"]');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(((await row.locator('td').last().textContent()) ?? '').trim()).toBe(monthError!.message);
      expect(await text(page, '[data-testid="report-status"]')).toBe('Has errors, cannot be committed');
      await page.click('[data-testid="lang-zh"]');

      // On a phone: nothing wider than the screen, the error still readable as a card.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(200);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await shot(page, 'purchases-invalid-phone');

      // The history lists it; the clerk sees their province's uploads only (not the admin's national one).
      await page.goto(`${suite.base}/uploads`);
      await page.waitForSelector(`[data-testid="upload-row"][data-upload-id="${id}"][data-status="invalid"]`);
      expect(await page.locator('[data-testid="upload-row"][data-kind="batch-results"]').count()).toBe(0);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await shot(page, 'history-phone');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  /** A year of purchases from 500 hospitals the demo data does not know: over the inline limit, so validated in the background. */
  function largePurchases(rows: number): Buffer {
    const lines = ['医疗机构编码,医疗机构名称,采购月份,医保编码,采购数量,采购金额'];
    for (let i = 0; i < rows; i++) {
      lines.push(`H3201020${String(i % 500).padStart(4, '0')},南京市第${(i % 500) + 1}医院,2024-${String((i % 12) + 1).padStart(2, '0')},XA10BBA020A001010100001,${100 + (i % 50)},${(18.28 + (i % 7)).toFixed(2)}`);
    }
    return Buffer.from(lines.join('\n'), 'utf8');
  }

  it('jiangsu-clerk: a large file is processed in the background with progress, and its report waits in the history', async () => {
    const { context, page, errors } = await open();
    try {
      await signIn(page, suite.base, 'jiangsu-clerk', DEMO_PASSWORD, '/uploads/new?kind=purchases');
      await page.waitForSelector('[data-testid="kind-purchases"] input:checked');
      await page.setInputFiles('[data-testid="file-input"]', { name: '江苏全年采购.csv', mimeType: 'text/csv', buffer: largePurchases(100_000) });
      await page.click('[data-testid="upload-submit"]');
      await page.waitForURL(/\/uploads\/\d+$/, { timeout: 60_000 });
      const id = uploadIdOf(page);

      // The API answered "processing": the report shows the phase and the rows done, polled every second.
      await page.waitForSelector('[data-testid="upload-progress"]', { timeout: 10_000 });
      expect(await page.locator('[data-testid="upload-phase"]').count()).toBe(1);
      expect(await text(page, '[data-testid="upload-progress-text"]')).toMatch(/^已处理 /);
      await shot(page, 'processing');

      // Leave, come back through the history: the finished report.
      await page.click('[data-testid="nav-overview"]');
      await page.waitForSelector('[data-testid="overview-page"]');
      await page.click('[data-testid="nav-uploads"]');
      const row = page.locator(`[data-testid="upload-row"][data-upload-id="${id}"]`);
      await row.waitFor();
      await row.locator('[data-testid="open-upload"]').click();
      await waitForStatus(page, 'invalid');
      expect(await page.locator('[data-testid="upload-progress"]').count()).toBe(0);
      // Finished: the page stops asking.
      let asked = 0;
      page.on('request', (r) => {
        if (new URL(r.url()).pathname === `/api/uploads/${id}`) asked++;
      });
      await page.waitForTimeout(2500);
      expect(asked).toBe(0);
      expect(await text(page, '[data-testid="count-rows-value"]')).toBe(formatCount(100_000, 'zh'));
      // Far more errors than the report lists: the cap and the rest are stated.
      expect(await text(page, '[data-testid="errors-cap"]')).toMatch(/报告只列出前 \d+ 条，另有 \d+ 条未列出/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('jiangsu-clerk: a validation the server stopped shows as interrupted, with the reason, and is validated again', async () => {
    const { context, page, errors } = await open();
    try {
      await signIn(page, suite.base, 'jiangsu-clerk', DEMO_PASSWORD, '/uploads/new?kind=purchases');
      await page.waitForSelector('[data-testid="kind-purchases"] input:checked');
      await page.setInputFiles('[data-testid="file-input"]', { name: '江苏全年采购（中断）.csv', mimeType: 'text/csv', buffer: largePurchases(200_000) });
      await page.click('[data-testid="upload-submit"]');
      await page.waitForURL(/\/uploads\/\d+$/, { timeout: 60_000 });
      const id = uploadIdOf(page);

      // The server stops (and starts again) while the file is being validated: nothing of it was written.
      await waitForStatus(page, 'processing');
      await suite.server.restart();
      const clerkApi = await apiSignIn(suite.base, 'jiangsu-clerk', DEMO_PASSWORD);
      const view = await clerkApi.get<UploadView>(`/api/uploads/${id}`);
      expect(view.status, suite.server.log()).toBe('interrupted');
      const reason = view.statusReason!;
      expect(reason).not.toBeNull();

      // The report, still open, finds out by itself: a warning (not an error), the server's words, when.
      await waitForStatus(page, 'interrupted');
      expect(await text(page, '[data-testid="report-status"]')).toBe('已中断');
      const notice = page.locator('[data-testid="upload-status-reason"]');
      expect(await notice.getAttribute('data-code')).toBe(reason.code);
      expect(await notice.getAttribute('role')).toBe('status');
      expect(await text(page, '[data-testid="status-reason-message"]')).toBe(reason.messageZh);
      expect(await text(page, '[data-testid="status-reason-at"]')).toBe(formatDateTime(reason.at));
      expect(await text(page, '[data-testid="revalidate-upload"]')).toBe('重新校验');
      // Nothing to commit until it is validated again; no zeros posing as counts, no mapping of unread headers.
      expect(await page.locator('[data-testid="commit-panel"]').count()).toBe(0);
      if (view.counts.rows === 0) expect(await page.locator('[data-testid="counts-panel"]').count()).toBe(0);
      if (view.mapping === null) expect(await page.locator('[data-testid="mapping-panel"]').count()).toBe(0);
      await shot(page, 'interrupted');

      await page.click('[data-testid="lang-en"]');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(await text(page, '[data-testid="report-status"]')).toBe('Interrupted');
      expect(await text(page, '[data-testid="status-reason-message"]')).toBe(reason.message);
      expect(await text(page, '[data-testid="revalidate-upload"]')).toBe('Validate again');
      await page.click('[data-testid="lang-zh"]');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');

      // The history offers the status as a filter, and says what to do on the row.
      await page.click('[data-testid="nav-uploads"]');
      await page.selectOption('[data-testid="filter-status"]', 'interrupted');
      await page.click('[data-testid="filter-apply"]');
      await page.waitForURL((url) => url.searchParams.get('status') === 'interrupted');
      const row = page.locator(`[data-testid="upload-row"][data-upload-id="${id}"][data-status="interrupted"]`);
      await row.waitFor();
      expect(await row.locator('[data-testid="upload-row-status"]').textContent()).toContain('已中断');
      expect(await row.locator('[data-testid="upload-row-hint"]').textContent()).toContain('重新校验');
      if (view.counts.rows === 0) expect(await row.locator('[data-testid="upload-row-counts"]').textContent()).toBe('—');
      await shot(page, 'history-interrupted');

      // 重新校验: the stored file is read again (nothing is sent again) and checked to the end.
      await row.locator('[data-testid="open-upload"]').click();
      await waitForStatus(page, 'interrupted');
      const sent: (string | null)[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && new URL(r.url()).pathname === `/api/uploads/${id}/reprocess`) sent.push(r.postData());
      });
      await page.click('[data-testid="revalidate-upload"]');
      await waitForStatus(page, 'invalid');
      expect(sent).toEqual(['{}']);
      expect(await page.locator('[data-testid="upload-status-reason"]').count()).toBe(0);
      expect(await text(page, '[data-testid="count-rows-value"]')).toBe(formatCount(200_000, 'zh'));
      const after = await clerkApi.get<UploadView>(`/api/uploads/${id}`);
      expect(after.status).toBe('invalid');
      expect(after.statusReason).toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
