/**
 * Browser test of the 合同 (contracts) page against the real server (./server.ts, demo mode): the national
 * leader and 江苏's procurement office open it, change the region and the filters, and every row on
 * screen (start, end, state, renewal) and the counts equal /api/contracts, formatted as the page formats
 * them. Screenshots at 1280×800 and 390×844 go to test-artifacts/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ContractPeriods } from '@vbp/contracts/contract-periods';
import { contractsZh } from '../../src/features/contracts/i18n/zh';
import { countPeriods, filterPeriods } from '../../src/features/contracts/utils/timeline';
import { formatCount, formatDate, formatDays } from '../../src/lib/format';
import { thresholdSourceLabel } from '../../src/lib/threshold';
import { apiSignIn, DEMO_PASSWORD, HAS_CHROMIUM, horizontalOverflow, signIn } from './server';
import { screenshot, textOf, useBrowserSuite } from './suite';

describe.skipIf(!HAS_CHROMIUM)('contracts page in a browser', () => {
  const suite = useBrowserSuite();

  async function waitForContracts(page: Page, region: string): Promise<void> {
    await page.waitForSelector(`[data-testid="contracts-page"][data-region="${region}"][aria-busy="false"]`, { timeout: 30_000 });
    await page.waitForSelector('[data-testid="contract-counts"]', { timeout: 30_000 });
  }

  /** The counts, the timeline and every row of the table equal the API's periods (after the page's filters). */
  async function expectMatchesApi(page: Page, data: ContractPeriods, type: 'all' | 'drug' | 'consumable' = 'all', show: 'all' | 'attention' = 'all') {
    const counts = countPeriods(data.items);
    for (const key of ['total', 'endingSoon', 'endingUnrenewed', 'endedUnrenewed', 'unknownEnd'] as const) {
      expect(await textOf(page, `[data-testid="count-${key}"]`)).toBe(formatCount(counts[key]));
    }
    // the ending-soon window is the API's (the demo sets no alert days: the default 180), said on the count and the footnote
    expect([data.windowDays, data.windowSource]).toEqual([180, 'default']);
    expect(await page.locator('[data-testid="contract-counts"]').getAttribute('data-window-days')).toBe(String(data.windowDays));
    expect(await page.locator('[data-testid="contract-counts"] dt').nth(1).textContent()).toBe(contractsZh.counts.endingSoon(formatDays(data.windowDays)));
    expect(await page.locator('[data-testid="contracts-window-rule"]').textContent()).toBe(contractsZh.fn(formatDate(data.date), formatDays(data.windowDays), thresholdSourceLabel(data.windowSource)));
    const items = filterPeriods(data.items, type, show);
    const rows = page.locator('[data-testid="periods-table"] tbody tr');
    // a filter change re-renders after the URL changes: wait for it rather than read the old rows
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(items.length);
    expect(await page.locator('[data-testid="contract-timeline"] .timeline__label').count()).toBe(items.length);
    for (const [i, p] of items.entries()) {
      const row = rows.nth(i);
      expect(await row.getAttribute('data-testid')).toBe(`period-${p.batchCode}`);
      expect(((await row.locator('[data-testid="period-start"]').textContent()) ?? '').trim()).toBe(formatDate(p.startOn));
      expect(((await row.locator('[data-testid="period-end"]').textContent()) ?? '').trim()).toBe(p.contractEndOn === null ? contractsZh.table.unknown : formatDate(p.contractEndOn));
      expect(await row.locator('[data-state]').first().getAttribute('data-state')).toBe(p.state);
      expect(await row.locator('[data-renewal]').getAttribute('data-renewal')).toBe(p.renewal);
      const renewal = ((await row.locator('[data-testid="period-renewal"]').textContent()) ?? '').trim();
      if (p.renewedBy) expect(renewal).toBe(contractsZh.renewal.renewed(p.renewedBy.code, formatDate(p.renewedBy.startOn)));
    }
    if (items.length > 0) expect(await page.locator('[data-testid="today-marker"]').count()).toBe(1);
  }

  it('leader: 江苏, 北京 and 全国 with the API’s periods; region and filters in the URL (1280×800)', async () => {
    const api = await apiSignIn(suite.base, 'national-leader', DEMO_PASSWORD);
    const { context, page, errors } = await suite.open();
    try {
      await signIn(page, suite.base, 'national-leader', DEMO_PASSWORD, '/contracts?region=320000');
      await waitForContracts(page, '320000');
      const jiangsu = await api.get<ContractPeriods>('/api/contracts?region=320000');
      expect(jiangsu.items.length).toBeGreaterThan(0);
      await expectMatchesApi(page, jiangsu);
      expect(await textOf(page, '[data-testid="contracts-title"]')).toBe(contractsZh.title(jiangsu.region.nameZh));
      await screenshot(page, 'contracts-320000-1280x800');

      // The header's region selector switches the page and the URL.
      await page.selectOption('[data-testid="region-select"]', '110000');
      await page.waitForURL((url) => url.pathname === '/contracts' && url.searchParams.get('region') === '110000');
      await waitForContracts(page, '110000');
      await expectMatchesApi(page, await api.get<ContractPeriods>('/api/contracts?region=110000'));

      // 全国: national batches folded over provinces, with the provinces column.
      await page.selectOption('[data-testid="region-select"]', '100000');
      await waitForContracts(page, '100000');
      const nation = await api.get<ContractPeriods>('/api/contracts?region=100000');
      await expectMatchesApi(page, nation);
      expect(nation.items.every((p) => p.level === 'national')).toBe(true);
      await screenshot(page, 'contracts-100000-1280x800');

      // Filters live in the URL; a link with them shows the same view.
      await page.goto(`${suite.base}/contracts?region=320000&date=2025-06-30`);
      await waitForContracts(page, '320000');
      await page.click('[data-testid="filter-type"] [data-value="drug"]');
      await page.waitForURL((url) => url.searchParams.get('type') === 'drug');
      const dated = await api.get<ContractPeriods>('/api/contracts?region=320000&date=2025-06-30');
      await expectMatchesApi(page, dated, 'drug');
      await page.click('[data-testid="filter-show"] [data-value="attention"]');
      await page.waitForURL((url) => url.searchParams.get('show') === 'attention');
      await expectMatchesApi(page, dated, 'drug', 'attention');
      await page.reload();
      await waitForContracts(page, '320000');
      await expectMatchesApi(page, dated, 'drug', 'attention');
      expect(await page.locator('[data-testid="filter-show"] [data-value="attention"]').getAttribute('aria-pressed')).toBe('true');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('office: 江苏 by default, 全国 allowed, another province refused; phone width without sideways scroll (390×844)', async () => {
    const api = await apiSignIn(suite.base, 'jiangsu-office', DEMO_PASSWORD);
    const { context, page, errors } = await suite.open({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      await signIn(page, suite.base, 'jiangsu-office', DEMO_PASSWORD, '/contracts');
      await waitForContracts(page, '320000');
      await expectMatchesApi(page, await api.get<ContractPeriods>('/api/contracts?region=320000'));
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, 'contracts-320000-390x844');

      const options = await page.locator('[data-testid="region-select"] option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
      expect(options.sort()).toEqual(['100000', '320000']);
      await page.selectOption('[data-testid="region-select"]', '100000');
      await waitForContracts(page, '100000');
      await expectMatchesApi(page, await api.get<ContractPeriods>('/api/contracts?region=100000'));
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

      // Another province in the URL: the API's refusal, in its words.
      await page.goto(`${suite.base}/contracts?region=110000`);
      await page.waitForSelector('[data-testid="error-message"]', { timeout: 30_000 });
      const res = await api.fetch('/api/contracts?region=110000');
      expect(res.status).toBe(403);
      const body = (await res.json()) as { error: { messageZh: string } };
      expect(await textOf(page, '[data-testid="error-message"]')).toBe(body.error.messageZh);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
