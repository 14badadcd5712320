/**
 * Browser test of the province agreed volumes (各省约定采购量) against the real server in demo mode, as admin
 * (the national account that uploads; the demo has no national clerk): a batch that 江苏's synthetic
 * execution data covers has no volumes loaded, so its batch page says so and leads to the upload with the
 * kind chosen; a small table (江苏 and 浙江, in 万 units, one main strength) is uploaded and committed; the batch
 * page then shows 江苏's total and strengths, 全国 lists both provinces and choosing 浙江 shows its total; the
 * execution page with the batch chosen checks the institutions' volumes and the purchases against 江苏's. The
 * numbers on screen are compared with the API's. Screenshots go to test-artifacts/.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BatchDetail, BatchList, ProvinceVolumes } from '@vbp/contracts/api';
import type { ExecutionList } from '@vbp/contracts/execution';
import type { UploadView } from '@vbp/contracts/uploads';
import { buildProvinceCheck } from '../../src/features/execution/utils/province-check';
import { formatPercent } from '../../src/lib/format';
import { commonUnit, formatVolume } from '../../src/lib/province-volumes';
import { apiSignIn, HAS_CHROMIUM, signIn, type ApiSession } from './server';
import { screenshot, textOf, useBrowserSuite } from './suite';

const ADMIN_PASSWORD = `e2e-admin-${Math.random().toString(36).slice(2, 10)}`;
const JIANGSU = '320000';
const ZHEJIANG = '330000';
const NATION = '100000';
// inside the demo's synthetic data (contract years running, purchases through 2024-12)
const DATE = '2024-06-30';

describe.skipIf(!HAS_CHROMIUM)('province agreed volumes in a browser', () => {
  const suite = useBrowserSuite({ VBP_ADMIN_PASSWORD: ADMIN_PASSWORD });
  let api: ApiSession;

  beforeAll(async () => {
    api = await apiSignIn(suite.base, 'admin', ADMIN_PASSWORD);
  });

  const text = (page: Page, testId: string) => textOf(page, `[data-testid="${testId}"]`);
  const shot = (page: Page, name: string) => screenshot(page, `province-volumes-${name}`);
  const waitForVolumes = (page: Page, region: string) =>
    page.waitForSelector(`[data-testid="province-volumes"][data-shown="${region}"] [data-testid="province-volumes-panel"][aria-busy="false"]`, { timeout: 60_000 });

  /** A batch 江苏's institutions have agreed volumes of, with two or more selected varieties among them. */
  async function pickBatch(): Promise<{ batch: BatchDetail; varieties: BatchDetail['varieties'] }> {
    const byBatch = await api.get<ExecutionList>(`/api/execution?region=${JIANGSU}&date=${DATE}&by=batch&pageSize=50`);
    for (const row of byBatch.items) {
      const batch = await api.get<BatchDetail>(`/api/batches/${encodeURIComponent(row.key)}`);
      const rows = await api.get<ExecutionList>(`/api/execution?region=${JIANGSU}&date=${DATE}&by=variety&batch=${encodeURIComponent(row.key)}&pageSize=200`);
      const executed = new Set(rows.items.map((r) => r.key));
      const varieties = batch.varieties.filter((v) => v.outcome === 'selected' && !v.isPlaceholder && executed.has(String(v.id)));
      if (varieties.length >= 2) return { batch, varieties };
    }
    throw new Error('no demo batch with two selected varieties in 江苏’s execution data');
  }

  it('admin: the empty state leads to the upload; after the commit the batch page and the execution check show the volumes', async () => {
    const { batch, varieties } = await pickBatch();
    const code = batch.code;
    const [first, second] = varieties as [BatchDetail['varieties'][number], BatchDetail['varieties'][number]];
    const spec = batch.products.find((p) => p.varietyId === first.id && p.spec)?.spec ?? '10mg';
    const before = await api.get<ProvinceVolumes>(`/api/batches/${encodeURIComponent(code)}/volumes?region=${JIANGSU}`);
    expect(before.items).toHaveLength(0);

    // the office's table: a province written once over its rows, 万 units, * marks the main strength
    const csv = [
      `${code}各省首年约定采购量`,
      '地区,品种,规格,首年约定采购量（万片/万支/万袋）',
      `江苏,${first.nameZh},${spec}*,12.5`,
      `,${second.nameZh},,8.25`,
      `浙江,${first.nameZh},${spec}*,20`,
    ].join('\r\n');

    const { context, page, errors } = await suite.open({ viewport: { width: 1280, height: 900 } });
    try {
      await signIn(page, suite.base, 'admin', ADMIN_PASSWORD, `/batches/${encodeURIComponent(code)}?region=${JIANGSU}`);
      await waitForVolumes(page, JIANGSU);
      await page.waitForSelector('[data-testid="volumes-empty"]');
      expect(await text(page, 'volumes-empty')).toContain('尚未导入');
      expect(await text(page, 'volumes-source')).toContain('联采办公布');
      await shot(page, 'empty');

      // the empty state's link opens the upload with the kind chosen
      await page.click('[data-testid="volumes-upload"]');
      await page.waitForSelector('[data-testid="upload-form"]');
      expect(new URL(page.url()).searchParams.get('kind')).toBe('province-volumes');
      expect(await page.isChecked('[data-testid="kind-radio-province-volumes"]')).toBe(true);

      await page.fill('[data-testid="batch-search"]', code);
      await page.click(`[data-testid="batch-option-${code}"]`);
      await page.waitForSelector(`[data-testid="batch-chosen"][data-code="${code}"]`);
      await page.setInputFiles('[data-testid="file-input"]', { name: '各省约定采购量.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}`, 'utf8') });
      await page.click('[data-testid="upload-submit"]');
      await page.waitForURL(/\/uploads\/\d+$/, { timeout: 60_000 });
      await page.waitForSelector('[data-testid="upload-report"][data-status="validated"]', { timeout: 60_000 });
      const id = Number(new URL(page.url()).pathname.split('/').pop());
      const view = await api.get<UploadView>(`/api/uploads/${id}`);
      expect(view.counts.valid).toBe(3);
      if (view.warnings.length + view.moreWarnings > 0) await page.check('[data-testid="acknowledge-warnings"]');
      await page.click('[data-testid="commit-upload"]');
      await page.waitForSelector('[data-testid="upload-report"][data-status="committed"]', { timeout: 60_000 });

      // 江苏: the total and the strengths, as the API says
      const jiangsu = await api.get<ProvinceVolumes>(`/api/batches/${encodeURIComponent(code)}/volumes?region=${JIANGSU}`);
      expect(jiangsu.total).toBe('207500');
      expect(jiangsu.varietyCount).toBe(2);
      await page.goto(`${suite.base}/batches/${encodeURIComponent(code)}?region=${JIANGSU}`);
      await waitForVolumes(page, JIANGSU);
      await page.waitForSelector('[data-testid="volumes-total"]');
      expect(await page.getAttribute('[data-testid="volumes-total"]', 'data-value')).toBe('207500');
      expect(await text(page, 'volumes-total')).toBe(formatVolume(jiangsu.total, commonUnit(jiangsu.items), 'zh'));
      expect(await text(page, 'volumes-variety-count')).toBe('2');
      expect(await page.getAttribute('[data-testid="volumes-items-table"]', 'data-rows')).toBe(String(jiangsu.items.length));
      expect(await page.locator('[data-testid="volumes-item-row"]').count()).toBe(jiangsu.items.length);
      expect(await page.locator('[data-testid="volumes-main-strength"]').count()).toBe(jiangsu.items.filter((i) => i.isMainStrength).length);
      await shot(page, 'jiangsu');

      // 全国: each province's total; choosing 浙江 shows its own
      await page.selectOption('[data-testid="volumes-region-select"]', NATION);
      await waitForVolumes(page, NATION);
      const nation = await api.get<ProvinceVolumes>(`/api/batches/${encodeURIComponent(code)}/volumes?region=${NATION}`);
      expect(nation.total).toBe('407500');
      expect(await page.locator('[data-testid="volumes-region-row"]').count()).toBe(2);
      expect(await text(page, 'volumes-total')).toBe(formatVolume(nation.total, commonUnit(nation.items), 'zh'));
      await shot(page, 'nation');
      await page.locator('[data-testid="volumes-choose"]', { hasText: '浙江' }).click();
      await waitForVolumes(page, ZHEJIANG);
      expect(new URL(page.url()).searchParams.get('region')).toBe(ZHEJIANG);
      expect(await page.getAttribute('[data-testid="volumes-total"]', 'data-value')).toBe('200000');

      // the execution page checks 江苏's institutions' volumes and purchases against the official volume
      await page.goto(`${suite.base}/execution?region=${JIANGSU}&date=${DATE}&batch=${encodeURIComponent(code)}`);
      await page.waitForSelector('[data-testid="province-check-state"][data-ready="true"]', { timeout: 120_000 });
      const rows = await api.get<ExecutionList>(`/api/execution?region=${JIANGSU}&date=${DATE}&by=variety&batch=${encodeURIComponent(code)}&sort=name&pageSize=200`);
      const check = buildProvinceCheck(jiangsu.allocation, rows.items);
      expect(await page.getAttribute('[data-testid="province-check-official"]', 'data-value')).toBe('207500');
      expect(await page.getAttribute('[data-testid="province-check-allocated"]', 'data-value')).toBe(check.allocated);
      expect(await text(page, 'province-check-ratio')).toBe(formatPercent(check.ratio));
      expect(await text(page, 'province-check-completion')).toBe(formatPercent(check.completion));
      expect(await text(page, 'province-check-rule')).toContain('低于 99%');
      const shownRows = Math.min(20, check.rows.length);
      expect(await page.locator('[data-testid="province-check-row"]').count()).toBe(shownRows);
      for (const r of check.rows.slice(0, shownRows)) {
        const row = page.locator(`[data-testid="province-check-row"][data-variety="${r.varietyId}"]`);
        expect(await row.getAttribute('data-flag')).toBe(r.flag);
        expect((await row.locator('[data-testid="province-check-row-completion"]').textContent())?.trim()).toBe(formatPercent(r.completion));
      }
      await page.locator('[data-testid="province-check"]').scrollIntoViewIfNeeded();
      await shot(page, 'execution-check');

      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 300_000);

  it('admin on a phone: a batch whose list is not loaded cannot take volumes, and leads to its results upload', async () => {
    const all = await api.get<BatchList>('/api/batches?pageSize=200');
    const placeholder = all.items.find((b) => b.varietiesArePlaceholders);
    expect(placeholder, 'the reference seed registers a batch before its results').toBeDefined();
    const code = placeholder!.code;
    const { context, page, errors } = await suite.open({ viewport: { width: 390, height: 844 } });
    try {
      // the address chooses the batch (as the link below does)
      await signIn(page, suite.base, 'admin', ADMIN_PASSWORD, `/uploads/new?kind=province-volumes&batch=${encodeURIComponent(code)}`);
      await page.waitForSelector(`[data-testid="batch-chosen"][data-code="${code}"]`);
      expect(await text(page, 'batch-error')).toContain(`批次 ${code} 的中选品种名单尚未载入`);
      const before = await api.get<{ total: number }>('/api/uploads?kind=province-volumes');
      await page.setInputFiles('[data-testid="file-input"]', { name: '各省约定采购量.csv', mimeType: 'text/csv', buffer: Buffer.from('\uFEFF地区,品种,规格,首年约定采购量\r\n江苏,某片,10mg,1', 'utf8') });
      await page.click('[data-testid="upload-submit"]');
      expect(new URL(page.url()).pathname).toBe('/uploads/new');
      expect((await api.get<{ total: number }>('/api/uploads?kind=province-volumes')).total).toBe(before.total);
      await page.locator('[data-testid="load-batch-results"]').scrollIntoViewIfNeeded();
      await shot(page, 'list-not-loaded-phone');

      await page.click('[data-testid="load-batch-results"]');
      await page.waitForURL((url) => url.searchParams.get('kind') === 'batch-results');
      expect(await page.isChecked('[data-testid="kind-radio-batch-results"]')).toBe(true);
      await page.waitForSelector(`[data-testid="batch-chosen"][data-code="${code}"]`);
      expect(await page.locator('[data-testid="batch-error"]').count()).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
