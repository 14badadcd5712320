/**
 * Browser test of the 目标 page against the real server (demo mode, real reference data): as the national
 * leader (reads every region, changes nothing) the table equals /api/targets row for row in the order the
 * page sorts, sorting and filters go through the URL, the province chart draws one bar per province with a
 * text alternative; as jiangsu-office a 江苏 target is created and changed with its source and shows in
 * the table, while national targets and other provinces' stay out of reach. Screenshots at 1280×800 and 390×844.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Region, TargetList, TargetView } from '@vbp/contracts/api';
import type { ProductType, TargetStatus } from '@vbp/contracts/enums';
import { buildProvinceChartData, chartScopes, comparisonEnds } from '../../src/features/targets/utils/province-chart-data';
import { filterTargets, sortTargetRows, type TargetSortKey } from '../../src/features/targets/utils/targets-table';
import { formatCount, formatPercent } from '../../src/lib/format';
import { apiSignIn, DEMO_PASSWORD, HAS_CHROMIUM, horizontalOverflow, signIn, type ApiSession } from './server';
import { screenshot, textOf, useBrowserSuite } from './suite';

const PAGE_SIZE = 40;

describe.skipIf(!HAS_CHROMIUM)('targets page in a browser', () => {
  const suite = useBrowserSuite();
  let leader: ApiSession;
  let regionOrder: Map<string, number>;

  beforeAll(async () => {
    leader = await apiSignIn(suite.base, 'national-leader', DEMO_PASSWORD);
    const regions = await leader.get<{ items: Region[] }>('/api/regions');
    regionOrder = new Map(regions.items.map((r, i) => [r.code, i]));
  });

  /** The page has loaded its targets and nothing is still updating. */
  async function waitForTargets(page: Page): Promise<void> {
    await page.waitForSelector('[data-testid="targets-page"][aria-busy="false"] [data-testid="targets-table-panel"] :is([data-testid="target-row"], [data-testid="empty-state"])', { timeout: 30_000 });
  }

  /** The rows on screen: code, region and the progress text, in order. */
  async function rowsOnScreen(page: Page) {
    return page.$$eval('[data-testid="target-row"]', (rows) =>
      rows.map((r) => ({
        code: r.getAttribute('data-code'),
        region: r.getAttribute('data-region'),
        status: r.getAttribute('data-status'),
        count: r.querySelector('[data-testid="row-count"]')?.textContent?.trim() ?? '',
        progress: r.querySelector('[data-testid="target-progress-text"]')?.textContent?.trim() ?? null,
      })),
    );
  }

  /** What the page should show for these API rows, sorted and filtered as the URL says, first page. */
  function expected(items: TargetView[], sort: TargetSortKey, dir: 'asc' | 'desc', filters: { type?: ProductType; status?: TargetStatus } = {}) {
    const rows = sortTargetRows(filterTargets(items, { type: filters.type, status: filters.status, region: undefined }), sort, dir, regionOrder);
    return rows.slice(0, PAGE_SIZE).map((t) => ({
      code: t.code,
      region: t.regionCode,
      status: t.progress?.status ?? '',
      count: formatCount(t.count, 'zh'),
      progress: t.progress ? `${formatCount(t.progress.current, 'zh')} / ${formatCount(t.count, 'zh')} · ${formatPercent(t.progress.fraction)}` : null,
    }));
  }

  it('leader: every region in one table equal to the API, no edit controls; sorts and filters in the URL; the province chart', async () => {
    const { page, context, errors } = await suite.open();
    await signIn(page, suite.base, 'national-leader', DEMO_PASSWORD, '/targets');
    await waitForTargets(page);
    const all = (await leader.get<TargetList>('/api/targets')).items;
    expect(new Set(all.map((t) => t.regionCode)).size).toBeGreaterThan(30);

    expect(await textOf(page, '[data-testid="targets-count"]')).toBe(`共 ${all.length} 条`);
    await expect.poll(() => rowsOnScreen(page), { timeout: 15_000 }).toEqual(expected(all, 'region', 'asc'));
    // read only: no add, edit or delete anywhere
    expect(await page.locator('[data-testid="add-target"], [data-testid="edit-target"], [data-testid="delete-target"]').count()).toBe(0);
    // the status rule is spelled out, each status with its word
    expect(await page.locator('[data-testid="status-rules"] .status').count()).toBe(4);
    // an assumed due date carries its reasoning
    const assumed = all.find((t) => t.dueAssumed && t.dueNote);
    if (assumed) {
      await page.goto(`${suite.base}/targets?region=${assumed.regionCode}`);
      await waitForTargets(page);
      const row = page.locator(`[data-testid="target-row"][data-code="${assumed.code}"]`);
      expect(await row.locator('[data-testid="due-note"]').textContent()).toBe(assumed.dueNote);
      await page.goto(`${suite.base}/targets`);
      await waitForTargets(page);
    }
    // a due date passed unmet is said as overdue; an unmet target is never projected as met today
    // (a national target is one row per province: rows are told apart by code and region)
    const overdue = new Set(all.filter((t) => t.progress && t.progress.status !== 'met' && t.progress.projectedAtDue === null && t.dueOn < t.progress.asOf).map((t) => `${t.code}|${t.regionCode}`));
    const shown = (await rowsOnScreen(page)).map((r) => `${r.code}|${r.region}`);
    const marked = await page.$$eval('[data-testid="target-row"]:has([data-testid="target-overdue"])', (rows) => rows.map((r) => `${r.getAttribute('data-code')}|${r.getAttribute('data-region')}`));
    expect(marked.sort()).toEqual(shown.filter((key) => overdue.has(key)).sort());
    expect(all.filter((t) => t.progress && t.progress.status !== 'met' && t.progress.projectedMetOn === t.progress.asOf).map((t) => t.code)).toEqual([]);
    await screenshot(page, 'targets-leader-desktop');

    // Sort by progress: largest first, then flip; the URL keeps it.
    await page.click('[data-testid="sort-progress"]');
    await page.waitForURL((url) => url.searchParams.get('sort') === 'progress' && url.searchParams.get('dir') === 'desc');
    await expect.poll(() => rowsOnScreen(page), { timeout: 15_000 }).toEqual(expected(all, 'progress', 'desc'));
    expect(await page.getAttribute('th[aria-sort]', 'aria-sort')).toBe('descending');
    await page.click('[data-testid="sort-progress"]');
    await page.waitForURL((url) => url.searchParams.get('dir') === 'asc');
    await expect.poll(() => rowsOnScreen(page), { timeout: 15_000 }).toEqual(expected(all, 'progress', 'asc'));
    // sort by due date from the keyboard
    await page.focus('[data-testid="sort-due"]');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('sort') === 'due');
    await expect.poll(() => rowsOnScreen(page), { timeout: 15_000 }).toEqual(expected(all, 'due', 'asc'));

    // Filter: drugs that are met.
    await page.selectOption('[data-testid="filter-type"]', 'drug');
    await page.selectOption('[data-testid="filter-status"]', 'met');
    await page.click('[data-testid="filter-apply"]');
    await page.waitForURL((url) => url.searchParams.get('type') === 'drug' && url.searchParams.get('status') === 'met');
    const met = filterTargets(all, { type: 'drug', status: 'met', region: undefined });
    await expect.poll(() => textOf(page, '[data-testid="targets-count"]'), { timeout: 15_000 }).toBe(met.length === all.length ? `共 ${all.length} 条` : `${met.length} / ${all.length} 条`);
    await expect.poll(() => rowsOnScreen(page), { timeout: 15_000 }).toEqual(expected(all, 'due', 'asc', { type: 'drug', status: 'met' }));
    // the link shows the same view to someone else
    const shared = page.url();
    const second = await context.newPage();
    await second.goto(shared);
    await waitForTargets(second);
    await expect.poll(() => rowsOnScreen(second), { timeout: 15_000 }).toEqual(await rowsOnScreen(page));
    await second.close();

    // The province chart: one bar per province for the default target (drugs, latest due), highest first.
    const scope = chartScopes(all)[0]!;
    expect(scope.target.scope).toBe('each_province');
    await page.waitForSelector('[data-testid="province-chart"] .recharts-surface', { timeout: 30_000 });
    const chart = buildProvinceChartData(all, scope.code, (c) => c, regionOrder);
    expect(await page.locator('[data-testid="province-chart-table"] tbody tr').count()).toBe(chart.bars.length);
    const firstBar = chart.bars[0]!;
    expect(await page.getAttribute('[data-testid="province-chart-table"] tbody tr:first-child', 'data-region')).toBe(firstBar.regionCode);
    expect(await textOf(page, '[data-testid="province-chart-table"] tbody tr:first-child td:nth-of-type(3)')).toBe(formatPercent(firstBar.fraction));
    const summary = await textOf(page, '[data-testid="chart-summary"]');
    expect(summary).toContain(`${chart.bars.length} 个省份中 ${chart.met} 个已达标`);
    // provinces tied at an end are said as tied, never one picked out of them
    const ends = comparisonEnds(chart.bars);
    if (ends.allTied) expect(summary).toContain(`全部 ${chart.bars.length} 个省份均为 ${formatPercent(ends.top!.fraction)}`);
    else if (ends.bottom && ends.bottom.labels.length > 3) expect(summary).toContain(`最低 ${formatPercent(ends.bottom.fraction)}（${ends.bottom.labels.length} 个省份并列）`);
    else if (ends.bottom) expect(summary).toContain(`最低 `);
    // another target for the chart, kept in the URL
    const other = chartScopes(all)[1];
    if (other) {
      await page.selectOption('[data-testid="chart-scope"]', other.code);
      await page.waitForURL((url) => url.searchParams.get('chart') === other.code);
      const otherChart = buildProvinceChartData(all, other.code, (c) => c, regionOrder);
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="province-chart-table"] tbody tr').length === n, otherChart.bars.length);
    }
    await screenshot(page, 'targets-leader-filtered');
    expect(errors).toEqual([]);
    await context.close();

    // A phone: no sideways scroll, the table stacks.
    const phone = await suite.open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(phone.page, suite.base, 'national-leader', DEMO_PASSWORD, '/targets');
    await waitForTargets(phone.page);
    await phone.page.waitForSelector('[data-testid="province-chart"] .recharts-surface', { timeout: 30_000 });
    expect(await horizontalOverflow(phone.page)).toBe(0);
    await screenshot(phone.page, 'targets-leader-phone');
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  it('jiangsu-office: creates and edits a 江苏 target with its source and sees it in the table; cannot edit other provinces', async () => {
    const office = await apiSignIn(suite.base, 'jiangsu-office', DEMO_PASSWORD);
    const { page, context, errors } = await suite.open();
    await signIn(page, suite.base, 'jiangsu-office', DEMO_PASSWORD, '/targets');
    await waitForTargets(page);

    const mine = (await office.get<TargetList>('/api/targets')).items;
    expect(mine.every((t) => t.regionCode === '320000')).toBe(true);
    await expect.poll(() => rowsOnScreen(page), { timeout: 15_000 }).toEqual(expected(mine, 'region', 'asc'));
    // edit controls on 江苏's own targets only, never on the national requirements
    const own = mine.filter((t) => t.ownerRegionCode === '320000');
    expect(own.length).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="edit-target"]').count()).toBe(own.length);
    for (const t of mine.filter((x) => x.ownerRegionCode !== '320000')) {
      expect(await page.locator(`[data-testid="target-row"][data-code="${t.code}"] [data-testid="edit-target"]`).count()).toBe(0);
    }

    // Create: drugs ≥ 620 by 2027-12-31, with its document and clause.
    const note = `浏览器测试 ${Date.now()}`;
    await page.click('[data-testid="add-target"]');
    await page.waitForSelector('[data-testid="target-form"]');
    await page.fill('[data-testid="target-count"]', '620');
    await page.fill('[data-testid="target-due-on"]', '2027-12-31');
    await page.fill('[data-testid="target-document-code"]', 'JS-2024-10-28-notice');
    await page.fill('[data-testid="target-clause"]', '一(二)');
    await page.fill('[data-testid="target-set-on"]', '2024-10-28');
    await page.fill('[data-testid="target-note"]', note);
    await screenshot(page, 'targets-office-form');
    await page.click('[data-testid="target-save"]');
    await page.waitForSelector('[data-testid="target-form"]', { state: 'detached', timeout: 30_000 });

    const created = (await office.get<TargetList>('/api/targets')).items.find((t) => t.note === note);
    expect(created).toMatchObject({ regionCode: '320000', ownerRegionCode: '320000', count: 620, source: { documentCode: 'JS-2024-10-28-notice', clause: '一(二)' } });
    const row = page.locator(`[data-testid="target-row"][data-code="${created!.code}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.locator('[data-testid="row-count"]').textContent()).toBe('620');
    expect(await row.textContent()).toContain('一(二)');
    expect(await row.locator('[data-testid="target-progress-text"]').textContent()).toBe(
      `${formatCount(created!.progress!.current, 'zh')} / 620 · ${formatPercent(created!.progress!.fraction)}`,
    );
    expect(await row.locator('[data-testid="target-status"]').getAttribute('data-status')).toBe(created!.progress!.status);

    // Edit it: 650.
    await row.locator('[data-testid="edit-target"]').click();
    await page.waitForSelector('[data-testid="target-form"]');
    expect(await page.inputValue('[data-testid="target-count"]')).toBe('620');
    await page.fill('[data-testid="target-count"]', '650');
    await page.click('[data-testid="target-save"]');
    await page.waitForSelector('[data-testid="target-form"]', { state: 'detached', timeout: 30_000 });
    await page.waitForFunction((code) => document.querySelector(`[data-testid="target-row"][data-code="${code}"] [data-testid="row-count"]`)?.textContent === '650', created!.code, { timeout: 30_000 });
    await screenshot(page, 'targets-office-desktop');

    // Another province: not on the page, and the API answers the change as for a target that does not exist.
    const beijing = (await leader.get<TargetList>('/api/targets?region=110000')).items.find((t) => t.ownerRegionCode === '110000');
    expect(beijing).toBeDefined();
    const refused = await office.fetch(`/api/targets/${beijing!.id}`, { method: 'PATCH', body: JSON.stringify({ count: 501 }) });
    expect(refused.status).toBe(404);
    await page.goto(`${suite.base}/targets?region=110000`);
    await waitForTargets(page);
    expect(await page.locator('[data-testid="target-row"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();

    const phone = await suite.open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(phone.page, suite.base, 'jiangsu-office', DEMO_PASSWORD, '/targets');
    await waitForTargets(phone.page);
    expect(await horizontalOverflow(phone.page)).toBe(0);
    await screenshot(phone.page, 'targets-office-phone');
    await phone.context.close();
  });
});
