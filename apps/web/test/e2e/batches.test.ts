/**
 * Browser test of the batch pages (/batches, /batches/:code) against the real server in demo mode (real
 * reference batches, synthetic labelled prices for 江苏). As the national leader and as 江苏's procurement
 * office: search and filter (the URL carries the filters, a reload keeps them), the rows equal the API's,
 * a batch page's counts and cuts equal /api/batches/{code}, the product table sorts (and stays windowed),
 * a placeholder batch says "list not loaded". Screenshots at 1280×800 and 390×844 go to test-artifacts/.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BatchDetail, BatchList } from '@vbp/contracts/api';
import { formatDateAt } from '../../src/features/batches/utils/batch-dates';
import { formatCount, formatPercent } from '../../src/lib/format';
import { apiSignIn, DEMO_PASSWORD, HAS_CHROMIUM, horizontalOverflow, signIn, type ApiSession } from './server';
import { screenshot, textOf, useBrowserSuite, type OpenPage } from './suite';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describe.skipIf(!HAS_CHROMIUM)('batch pages in a browser', () => {
  const suite = useBrowserSuite();
  let leader: ApiSession;
  let office: ApiSession;

  beforeAll(async () => {
    leader = await apiSignIn(suite.base, 'national-leader', DEMO_PASSWORD);
    office = await apiSignIn(suite.base, 'jiangsu-office', DEMO_PASSWORD);
  });

  const text = (page: Page, testId: string) => textOf(page, `[data-testid="${testId}"]`);

  /** The list shows exactly `expected`'s rows, in its order, and is no longer updating. */
  async function waitForRows(page: Page, expected: BatchList): Promise<void> {
    const codes = expected.items.map((b) => b.code);
    await page.waitForFunction(
      (want) => {
        const page = document.querySelector('[data-testid="batches-page"]');
        if (!page || page.getAttribute('data-busy') !== 'false') return false;
        const got = [...document.querySelectorAll('[data-testid="batch-row"]')].map((r) => r.getAttribute('data-code'));
        return want.length === 0 ? document.querySelector('[data-testid="batches-panel"] [data-testid="empty-state"]') !== null : JSON.stringify(got) === JSON.stringify(want);
      },
      codes,
      { timeout: 30_000 },
    );
  }

  /** Every row's counts, status and cuts equal the API's, formatted as the page formats them. */
  async function expectRowsMatch(page: Page, expected: BatchList): Promise<void> {
    await waitForRows(page, expected);
    for (const item of expected.items) {
      const row = page.locator(`[data-testid="batch-row"][data-code="${item.code}"]`);
      expect(await row.getAttribute('data-status')).toBe(item.status);
      expect((await row.locator('[data-testid="batch-varieties"]').textContent())?.trim()).toBe(formatCount(item.varietyCount));
      expect((await row.locator('[data-testid="batch-products"]').textContent())?.trim()).toBe(formatCount(item.productCount));
      expect((await row.locator('[data-testid="batch-cut-computed"]').textContent())?.trim()).toBe(formatPercent(item.computedAvgCut));
      expect((await row.locator('[data-testid="batch-cut-published"]').textContent())?.trim()).toBe(`公布 ${formatPercent(item.published.avgCut)}`);
      expect(await row.locator('[data-testid="list-not-loaded"]').count()).toBe(item.varietiesArePlaceholders || item.placeholderCount > 0 ? 1 : 0);
    }
    if (expected.total > expected.items.length) await expect(page.locator('[data-testid="pagination"]').textContent()).resolves.toContain(String(expected.total));
  }

  /** The batch page's figures equal /api/batches/{code}'s. */
  async function expectBatchMatches(page: Page, d: BatchDetail): Promise<void> {
    await page.waitForSelector(`[data-testid="batch-page"][data-code="${d.code}"][data-loaded="true"] [data-testid="figures-panel"]`, { timeout: 30_000 });
    expect(await text(page, 'batch-code')).toBe(d.code);
    expect(await text(page, 'figure-varieties-computed')).toBe(formatCount(d.varietyCount));
    expect(await text(page, 'figure-products-computed')).toBe(formatCount(d.productCount));
    expect(await text(page, 'figure-cut-computed')).toBe(formatPercent(d.cuts.plainMean));
    expect(await text(page, 'figure-cut-published')).toBe(d.published.avgCut === null ? '公布：未公布' : `公布：${formatPercent(d.published.avgCut)}`);
    expect(await text(page, 'cut-range')).toBe(`${formatPercent(d.cuts.min)} / ${formatPercent(d.cuts.median)} / ${formatPercent(d.cuts.max)}`);
    const first = d.implementations[0];
    expect(await text(page, 'first-start')).toContain(first ? formatDateAt(first.startOn, first.startPrecision) : '无执行记录');
    const regions = page.locator('[data-testid="implementation-region"]');
    expect((await regions.evaluateAll((els) => els.map((e) => e.getAttribute('data-region')))).sort()).toEqual(d.implementations.map((i) => i.regionCode).sort());
    expect(await page.locator('[data-testid="implementation-region"][data-estimated="true"]').count()).toBe(d.implementations.filter((i) => i.estimated).length);
    const binned = d.cutHistogram.reduce((n, b) => n + b.count, 0);
    if (binned > 0) expect(await page.locator('[data-testid="histogram-summary"]').getAttribute('data-total')).toBe(String(binned));
    if (d.products.length > 0) expect(await page.locator('[data-testid="products-table"]').getAttribute('data-rows')).toBe(String(d.products.length));
    expect(await page.locator('[data-testid="placeholder-notice"]').count()).toBe(d.varietiesArePlaceholders || d.placeholderCount > 0 ? 1 : 0);
    expect(await page.locator('[data-testid="synthetic-notice"]').count()).toBe(d.syntheticProductCount > 0 ? 1 : 0);
  }

  async function signedIn(user: string, next: string, options = {}): Promise<OpenPage> {
    const opened = await suite.open(options);
    await signIn(opened.page, suite.base, user, DEMO_PASSWORD, next);
    return opened;
  }

  it('national leader: searches and filters in the URL, opens D3, the numbers equal the API’s, sorts the products', async () => {
    const { context, page, errors } = await signedIn('national-leader', '/batches');
    await expectRowsMatch(page, await leader.get<BatchList>('/api/batches?page=1&pageSize=20'));
    await screenshot(page, 'batches-list-1280');

    // search and filter: the URL carries them, and the rows are the API's for the same query
    await page.fill('[data-testid="filter-q"]', 'D');
    await page.selectOption('[data-testid="filter-level"]', 'national');
    await page.selectOption('[data-testid="filter-type"]', 'drug');
    await page.click('[data-testid="filter-apply"]');
    await page.waitForURL((url) => url.pathname === '/batches' && url.searchParams.get('level') === 'national' && url.searchParams.get('type') === 'drug');
    expect(new URL(page.url()).searchParams.get('q')).toBe('D');
    const national = await leader.get<BatchList>('/api/batches?q=D&level=national&type=drug&pageSize=20');
    expect(national.items.map((b) => b.code)).toContain('D3');
    await expectRowsMatch(page, national);

    // a year, then a reload: the filter stays, in the form and in the rows
    await page.selectOption('[data-testid="filter-year"]', '2020');
    await page.click('[data-testid="filter-apply"]');
    await page.waitForURL((url) => url.searchParams.get('year') === '2020');
    const y2020 = await leader.get<BatchList>('/api/batches?q=D&level=national&type=drug&year=2020&pageSize=20');
    await expectRowsMatch(page, y2020);
    await page.reload();
    await expectRowsMatch(page, y2020);
    expect(await page.inputValue('[data-testid="filter-year"]')).toBe('2020');
    expect(await page.inputValue('[data-testid="filter-q"]')).toBe('D');

    // open D3 from a search for it
    await page.goto(`${suite.base}/batches?q=D3&level=national`);
    await expectRowsMatch(page, await leader.get<BatchList>('/api/batches?q=D3&level=national&pageSize=20'));
    await page.click('[data-testid="batch-row"][data-code="D3"] [data-testid="batch-link"]');
    await page.waitForURL((url) => url.pathname === '/batches/D3');
    const d3 = await leader.get<BatchDetail>('/api/batches/D3');
    await expectBatchMatches(page, d3);
    await page.waitForSelector('[data-testid="histogram-panel"] .recharts-surface, [data-testid="histogram-panel"] [data-testid="empty-state"]', { timeout: 30_000 });
    await screenshot(page, 'batch-D3-1280');

    // sort the products by cut: highest first, then lowest first; the sort is in the URL
    expect(d3.products.length).toBeGreaterThan(0);
    const cuts = d3.products.map((p) => p.cut).filter((c): c is number => c !== null);
    await page.click('[data-testid="products-table"] [data-testid="sort-cut"]');
    await page.waitForSelector('[data-testid="products-table"][data-sort="cut.desc"]');
    expect(new URL(page.url()).searchParams.get('psort')).toBe('cut.desc');
    const firstCut = () => textOf(page, '[data-testid="products-table"] [data-testid="product-row"][data-index="0"] [data-testid="product-cut"]');
    expect(await firstCut()).toBe(formatPercent(Math.max(...cuts)));
    await page.click('[data-testid="products-table"] [data-testid="sort-cut"]');
    await page.waitForSelector('[data-testid="products-table"][data-sort="cut.asc"]');
    expect(await firstCut()).toBe(formatPercent(Math.min(...cuts)));

    // windowed: a long table draws only the rows in view, and scrolling reaches the last one
    const drawn = await page.locator('[data-testid="products-table"] [data-testid="product-row"]').count();
    if (d3.products.length > 40) {
      expect(drawn).toBeLessThan(d3.products.length);
      await page.locator('[data-testid="products-table"]').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.waitForSelector(`[data-testid="products-table"] [data-testid="product-row"][data-index="${d3.products.length - 1}"]`);
    } else {
      expect(drawn).toBe(d3.products.length);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('江苏 office: its region and status in the URL, a placeholder batch says "list not loaded", on a phone', async () => {
    const { context, page, errors } = await signedIn('jiangsu-office', '/batches?region=320000&status=end_unknown');
    const open = await office.get<BatchList>('/api/batches?region=320000&status=end_unknown&pageSize=20');
    expect(open.total).toBeGreaterThan(0);
    await expectRowsMatch(page, open);
    expect(await text(page, 'status-rule-summary')).toContain('江苏省');
    await screenshot(page, 'batches-list-office-1280');

    // the office's region list: 全国 and 江苏 only
    const regionOptions = await page.locator('[data-testid="filter-region"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(regionOptions.filter(Boolean).sort()).toEqual(['100000', '320000']);

    // another status and the provincial level; reload keeps them
    await page.selectOption('[data-testid="filter-status"]', 'unrecorded');
    await page.click('[data-testid="filter-apply"]');
    await page.waitForURL((url) => url.searchParams.get('status') === 'unrecorded' && url.searchParams.get('region') === '320000');
    await expectRowsMatch(page, await office.get<BatchList>('/api/batches?region=320000&status=unrecorded&pageSize=20'));
    await page.selectOption('[data-testid="filter-status"]', '');
    await page.selectOption('[data-testid="filter-level"]', 'provincial');
    await page.click('[data-testid="filter-apply"]');
    await page.waitForURL((url) => url.searchParams.get('level') === 'provincial' && !url.searchParams.has('status'));
    const provincial = await office.get<BatchList>('/api/batches?region=320000&level=provincial&pageSize=20');
    await expectRowsMatch(page, provincial);
    await page.reload();
    await expectRowsMatch(page, provincial);

    // a batch whose variety list is not public: placeholders, "list not loaded"
    const all = await office.get<BatchList>('/api/batches?region=320000&pageSize=200');
    const placeholder = all.items.find((b) => b.varietiesArePlaceholders && b.productCount > 0) ?? all.items.find((b) => b.varietiesArePlaceholders);
    expect(placeholder).toBeDefined();
    await page.goto(`${suite.base}/batches/${encodeURIComponent(placeholder!.code)}`);
    const detail = await office.get<BatchDetail>(`/api/batches/${encodeURIComponent(placeholder!.code)}`);
    await expectBatchMatches(page, detail);
    await expect(page.locator('[data-testid="placeholder-notice"]').textContent()).resolves.toContain('名单未导入');
    await expect(page.locator('[data-testid="varieties-not-loaded"]').textContent()).resolves.toContain('名单未导入');
    expect(await page.locator('[data-testid="varieties-table"]').getAttribute('data-rows')).toBe(String(detail.varieties.length));
    if (detail.syntheticProductCount > 0) expect(await page.locator('[data-testid="synthetic-tag"]').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();

    // phone: list and batch, nothing wider than the screen
    const phone = await signedIn('jiangsu-office', '/batches?region=320000', PHONE);
    await expectRowsMatch(phone.page, await office.get<BatchList>('/api/batches?region=320000&pageSize=20'));
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'batches-list-390');
    await phone.page.goto(`${suite.base}/batches/${encodeURIComponent(placeholder!.code)}`);
    await expectBatchMatches(phone.page, detail);
    expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
    await screenshot(phone.page, 'batch-detail-390');
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  it('says when a batch does not exist', async () => {
    const { context, page } = await signedIn('national-leader', '/batches/NO-SUCH-BATCH');
    await page.waitForSelector('[data-testid="batch-page"] [data-testid="error-message"]', { timeout: 30_000 });
    expect(await text(page, 'error-message')).toContain('NO-SUCH-BATCH');
    await context.close();
  });
});
