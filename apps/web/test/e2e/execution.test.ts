/**
 * Browser test of the execution page (执行) and the overview's execution panel against the real server in
 * demo mode, where 江苏 (320000) has labelled synthetic agreed volumes and purchases (through 2024-12).
 * As the national leader and as 江苏's procurement office: open /execution?region=320000, switch the
 * rollup, apply filters (the URL follows), drill into an institution, compare the numbers on screen with
 * the API's, download the export (an XLSX with the API's rows), screenshots at 1280×800 and 390×844.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ExecutionList, ExecutionSummary, InstitutionExecution } from '@vbp/contracts/execution';
import { formatMoney, formatPercent } from '../../src/lib/format';
import { apiSignIn, ARTIFACTS, DEMO_PASSWORD, HAS_CHROMIUM, horizontalOverflow, signIn, type ApiSession } from './server';
import { screenshot, textOf, useBrowserSuite, type OpenPage } from './suite';

const REGION = '320000';
// inside the demo's synthetic data (contract years running, purchases through 2024-12)
const DATE = '2024-06-30';

/** One entry of a ZIP (an XLSX), through its central directory: enough to read a worksheet's XML. */
function zipEntry(zip: Buffer, name: string): string | null {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) return null;
  let at = zip.readUInt32LE(eocd + 16);
  const count = zip.readUInt16LE(eocd + 10);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    at += 46 + nameLength + extra + comment;
  }
  return null;
}

describe.skipIf(!HAS_CHROMIUM)('execution page in a browser', () => {
  const suite = useBrowserSuite();
  const text = (page: Page, testId: string) => textOf(page, `[data-testid="${testId}"]`);

  async function signedIn(user: string, next: string, viewport = { width: 1280, height: 800 }): Promise<OpenPage> {
    const opened = await suite.open({ viewport, acceptDownloads: true });
    await signIn(opened.page, suite.base, user, DEMO_PASSWORD, next);
    return opened;
  }

  /** The list on screen answers the URL's view (nothing updating), with rows or its empty state. */
  async function waitForList(page: Page): Promise<void> {
    const view = new URL(page.url()).searchParams.toString();
    await page.waitForSelector(`[data-testid="execution-page"][data-view="${view}"][aria-busy="false"]`, { timeout: 120_000 });
    await page.waitForSelector('[data-testid="exec-list"] [data-testid="exec-row"], [data-testid="exec-list"] [data-testid="empty-state"]', { timeout: 30_000 });
  }

  async function expectListMatches(page: Page, api: ApiSession, query: string): Promise<ExecutionList> {
    const list = await api.get<ExecutionList>(`/api/execution?${query}&pageSize=20`);
    expect(await text(page, 'exec-total-completion')).toBe(formatPercent(list.totals.completion));
    expect(await text(page, 'exec-total-progress')).toBe(formatPercent(list.totals.timeProgress));
    expect(await text(page, 'exec-total-nonselected')).toBe(formatPercent(list.totals.nonSelectedShare));
    const rows = page.locator('[data-testid="exec-row"]');
    expect(await rows.count()).toBe(list.items.length);
    for (const [i, item] of list.items.slice(0, 5).entries()) {
      const row = rows.nth(i);
      expect(await row.getAttribute('data-key')).toBe(item.key);
      expect((await row.locator('[data-testid="exec-completion"]').textContent())?.trim()).toBe(formatPercent(item.completion));
      expect((await row.locator('[data-testid="exec-progress"]').textContent())?.trim()).toBe(formatPercent(item.timeProgress));
      expect((await row.locator('[data-testid="exec-nonselected"]').textContent())?.trim()).toBe(formatPercent(item.nonSelectedShare));
      expect(await row.getAttribute('data-behind')).toBe(String(item.behind));
    }
    return list;
  }

  for (const user of ['national-leader', 'jiangsu-office']) {
    it(`${user}: switches the rollup, filters, drills down and exports with the API's numbers`, async () => {
      const api = await apiSignIn(suite.base, user, DEMO_PASSWORD);
      const { context, page, errors } = await signedIn(user, `/execution?region=${REGION}&date=${DATE}`);
      try {
        await waitForList(page);
        expect(await text(page, 'exec-as-of')).toContain(DATE);
        expect(await page.locator('[data-testid="exec-synthetic"]').count()).toBe(1);
        expect(await text(page, 'exec-source')).toContain('合成');
        const byInstitution = await expectListMatches(page, api, `region=${REGION}&date=${DATE}`);
        expect(byInstitution.total).toBeGreaterThan(20);
        await screenshot(page, `execution-${user}-1280x800`);

        // by variety: the URL follows
        await page.click('[data-testid="exec-by-variety"]');
        await page.waitForURL((url) => url.searchParams.get('by') === 'variety');
        await waitForList(page);
        await expectListMatches(page, api, `region=${REGION}&date=${DATE}&by=variety`);
        expect(await page.locator('[data-testid="exec-drill"]').count()).toBe(0);

        // back to institutions, filtered by level and behind-only
        await page.click('[data-testid="exec-by-institution"]');
        await page.waitForURL((url) => !url.searchParams.has('by'));
        await waitForList(page);
        await page.selectOption('[data-testid="exec-filter-level"]', '三级');
        await page.check('[data-testid="exec-filter-behind"]');
        await page.click('[data-testid="exec-apply"]');
        await page.waitForURL((url) => url.searchParams.get('level') === '三级' && url.searchParams.get('behind') === '1');
        await waitForList(page);
        const filtered = await expectListMatches(page, api, `region=${REGION}&date=${DATE}&level=${encodeURIComponent('三级')}&behind=true`);
        for (const item of filtered.items) expect(item).toMatchObject({ level: '三级', behind: true });
        if (filtered.items.length > 0) expect(await page.locator('[data-testid="exec-row"] [data-testid="exec-status"]').first().textContent()).toContain('滞后');

        // drill into the first institution: region → institution → products
        await page.click('[data-testid="exec-filter-behind"]');
        await page.click('[data-testid="exec-apply"]');
        await page.waitForURL((url) => !url.searchParams.has('behind'));
        await waitForList(page);
        const first = page.locator('[data-testid="exec-row"]').first();
        const key = await first.getAttribute('data-key');
        await first.locator('[data-testid="exec-drill"]').click();
        await page.waitForURL((url) => url.searchParams.get('institution') === key);
        await page.waitForSelector('[data-testid="exec-institution"][aria-busy="false"] [data-testid="exec-inst-row"]', { timeout: 120_000 });
        const detail = await api.get<InstitutionExecution>(`/api/execution/institutions/${key}?region=${REGION}&date=${DATE}`);
        expect(await text(page, 'exec-institution-name')).toBe(detail.institution.name);
        expect(await text(page, 'exec-inst-completion')).toBe(formatPercent(detail.totals.completion));
        expect(await text(page, 'exec-inst-progress')).toBe(formatPercent(detail.totals.timeProgress));
        // 25 contract years a page
        expect(await page.locator('[data-testid="exec-inst-row"]').count()).toBe(Math.min(25, detail.rows.length));
        await page.locator('[data-testid="exec-products"] summary').first().click();
        expect(await page.locator('[data-testid="exec-products"]').first().locator('[data-testid="exec-product"]').count()).toBe(detail.rows[0]!.products.length);
        await screenshot(page, `execution-institution-${user}-1280x800`);
        if (detail.rows.length > 25) {
          await page.click('[data-testid="exec-institution"] [data-testid="pagination"] button:last-child');
          await page.waitForURL((url) => url.searchParams.get('ipage') === '2');
          const second = detail.rows[25]!;
          // the URL changes before React draws the next page
          await page.waitForFunction((v) => document.querySelector('[data-testid="exec-inst-row"]')?.getAttribute('data-variety') === v, String(second.varietyId), { timeout: 30_000 });
          expect((await page.locator('[data-testid="exec-inst-row"] [data-testid="exec-completion"]').first().textContent())?.trim()).toBe(formatPercent(second.completion));
        }
        await page.click('[data-testid="exec-crumb-region"]');
        await page.waitForURL((url) => !url.searchParams.has('institution') && url.searchParams.get('level') === '三级');
        await waitForList(page);

        // the export: every row of the filter as XLSX, progress shown while it downloads
        const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.click('[data-testid="exec-export"]')]);
        const path = join(ARTIFACTS, `execution-export-${user}.xlsx`);
        await download.saveAs(path);
        expect(download.suggestedFilename()).toBe(`execution-${REGION}-${DATE}-institution.xlsx`);
        await page.waitForSelector('[data-testid="exec-export-status"][data-phase="done"]');
        const all = await api.get<ExecutionList>(`/api/execution?region=${REGION}&date=${DATE}&level=${encodeURIComponent('三级')}&pageSize=200`);
        const zip = await readFile(path);
        expect(zip.subarray(0, 2).toString()).toBe('PK');
        const sheet = zipEntry(zip, 'xl/worksheets/sheet1.xml');
        expect(sheet).toContain('约定采购量');
        expect(sheet).toContain('非中选占比');
        // 3 lines above the header, the header, one row per API row
        expect(sheet!.match(/<row /g)?.length).toBe(4 + all.total);
        expect(sheet).toContain(all.items[0]!.name.replace(/&/g, '&amp;'));
        expect(await text(page, 'exec-export-status')).toContain(String(all.total));

        // a phone: no sideways scroll
        const phone = await signedIn(user, `/execution?region=${REGION}&date=${DATE}`, { width: 390, height: 844 });
        try {
          await waitForList(phone.page);
          expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
          await screenshot(phone.page, `execution-${user}-390x844`);
          expect(phone.errors).toEqual([]);
        } finally {
          await phone.context.close();
        }
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, 420_000);
  }

  it('shows the API’s execution summary on the overview, with links into /execution', async () => {
    const user = 'jiangsu-office';
    const api = await apiSignIn(suite.base, user, DEMO_PASSWORD);
    const { context, page, errors } = await signedIn(user, `/?region=${REGION}&date=${DATE}`);
    try {
      await page.waitForSelector('[data-testid="execution-panel"][aria-busy="false"] [data-testid="exec-summary-completion"]', { timeout: 120_000 });
      const summary = await api.get<ExecutionSummary>(`/api/execution/summary?region=${REGION}&date=${DATE}`);
      expect(await text(page, 'exec-summary-completion')).toBe(formatPercent(summary.totals.completion));
      expect(await text(page, 'exec-summary-progress')).toBe(formatPercent(summary.totals.timeProgress));
      expect(await text(page, 'exec-summary-saving')).toBe(formatMoney(summary.savings.saving, 'zh'));
      expect(await text(page, 'exec-summary-nonselected')).toBe(formatPercent(summary.totals.nonSelectedShare));
      const listed = page.locator('[data-testid="exec-summary-institutions"] [data-testid="exec-summary-row"]');
      expect(await listed.count()).toBe(summary.behindInstitutions.length);
      if (summary.behindInstitutions.length > 0) {
        expect(await listed.first().getAttribute('data-key')).toBe(summary.behindInstitutions[0]!.key);
        await listed.first().locator('a').click();
        await page.waitForURL((url) => url.pathname === '/execution' && url.searchParams.get('institution') === String(summary.behindInstitutions[0]!.institutionId));
        await page.waitForSelector('[data-testid="exec-institution"] [data-testid="exec-inst-row"]', { timeout: 120_000 });
      }
      await page.goto(`${suite.base}/?region=${REGION}&date=${DATE}`);
      await page.waitForSelector('[data-testid="execution-panel"][aria-busy="false"] [data-testid="exec-summary-completion"]', { timeout: 120_000 });
      await screenshot(page, 'overview-execution-panel-320000-1280x800');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 300_000);

  it('explains an empty view and a region outside the user’s scope', async () => {
    // today: the demo's contract years have ended; the page offers the latest date with data
    const leader = await signedIn('national-leader', `/execution?region=${REGION}`);
    try {
      await leader.page.waitForSelector('[data-testid="exec-empty"]', { timeout: 120_000 });
      await leader.page.click('[data-testid="exec-empty-go"]');
      await leader.page.waitForURL((url) => url.searchParams.get('date') === '2024-12-31');
      await waitForList(leader.page);
      expect(await leader.page.locator('[data-testid="exec-row"]').count()).toBeGreaterThan(0);
      // the overview's panel offers the same date, and the overview moves to it
      await leader.page.goto(`${suite.base}/?region=${REGION}`);
      await leader.page.waitForSelector('[data-testid="execution-panel"] [data-testid="execution-panel-go"]', { timeout: 120_000 });
      await leader.page.click('[data-testid="execution-panel-go"]');
      await leader.page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('date') === '2024-12-31');
      await leader.page.waitForSelector('[data-testid="execution-panel"][aria-busy="false"] [data-testid="exec-summary-completion"]', { timeout: 120_000 });
      // 北京 has no execution data: a helpful empty state
      await leader.page.goto(`${suite.base}/execution?region=110000&date=${DATE}`);
      await leader.page.waitForSelector('[data-testid="exec-empty"]', { timeout: 120_000 });
      await screenshot(leader.page, 'execution-empty-110000-1280x800');
    } finally {
      await leader.context.close();
    }
    const office = await signedIn('jiangsu-office', `/execution?region=100000&date=${DATE}`);
    try {
      await office.page.waitForSelector('[data-testid="exec-forbidden"]', { timeout: 120_000 });
      await office.page.click('[data-testid="exec-forbidden"] button.button--primary');
      await office.page.waitForURL((url) => url.searchParams.get('region') === REGION);
      await waitForList(office.page);
    } finally {
      await office.context.close();
    }
  }, 300_000);
});
