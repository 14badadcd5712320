/**
 * Browser test of the overview page against the real server: `scripts/start.ts` (what `pnpm start`
 * runs) serves the web app with the API on a free port and a fresh DATA_DIR (./server.ts). Every page
 * needs a session: the test signs in through the login page as the national leader (read only).
 * Chromium (/usr/bin/chromium, via playwright-core) opens 北京, 江苏 and 全国 and the numbers on screen
 * are compared with /api/overview; the region selector, the URL, the language switch, the phone layout,
 * the 404 page and the error state are checked. Screenshots go to test-artifacts/ (gitignored).
 */
import { join } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Overview } from '@vbp/contracts/api';
import { groupEndingContracts } from '../../src/features/overview/utils/contracts';
import { buildHistogramRows } from '../../src/components/charts/histogram-data';
import { buildBatchCutData } from '../../src/features/overview/utils/cut-chart-data';
import { unrenewedEnding } from '../../src/features/overview/utils/warnings';
import { coverageFor, pickHeadlineTarget } from '../../src/features/overview/utils/targets';
import { overviewZh } from '../../src/features/overview/i18n/zh';
import { formatCount, formatDays, formatPercent } from '../../src/lib/format';
import { en } from '../../src/lib/i18n/en';
import { zh } from '../../src/lib/i18n/zh';
import { thresholdSourceLabel } from '../../src/lib/threshold';
import { apiSignIn, ARTIFACTS, DEMO_PASSWORD, HAS_CHROMIUM, horizontalOverflow, signIn, type ApiSession } from './server';
import { screenshot, textOf, useBrowserSuite, waitForOverview, type OpenPage } from './suite';

// Every page needs a session: the national leader reads every region (and changes nothing).
const READER = 'national-leader';

// CI installs chromium (apt-get install chromium fonts-wqy-microhei); skipped only where it is missing.
describe.skipIf(!HAS_CHROMIUM)('overview page in a browser', () => {
  const suite = useBrowserSuite();
  let api: ApiSession;

  beforeAll(async () => {
    api = await apiSignIn(suite.base, READER, DEMO_PASSWORD);
  });

  /** A new browser context, signed in as the reader (the sign-in form sends them on to `next`). */
  async function signedIn(options: BrowserContextOptions = {}, next = '/'): Promise<OpenPage> {
    const opened = await suite.open(options);
    await signIn(opened.page, suite.base, READER, DEMO_PASSWORD, next);
    return opened;
  }

  async function apiOverview(region: string): Promise<Overview> {
    return api.get<Overview>(`/api/overview?region=${region}`);
  }

  const text = (page: Page, testId: string) => textOf(page, `[data-testid="${testId}"]`);

  /** The numbers on screen equal the API's, formatted as the page formats them. */
  async function expectFiguresMatch(page: Page, o: Overview, lang: 'zh' | 'en' = 'zh'): Promise<void> {
    expect(await text(page, 'region-name')).toBe(lang === 'zh' ? o.region.nameZh : o.region.nameEn);
    expect(await text(page, 'as-of-date')).toBe(o.date);
    expect(await text(page, 'drug-cumulative')).toBe(formatCount(o.coverage.drug.cumulative, lang));

    const drugTarget = pickHeadlineTarget(o.targets, 'drug', o.date);
    if (drugTarget?.progress) {
      expect(await text(page, 'drug-target-count')).toBe(formatCount(drugTarget.count, lang));
      expect(await page.locator('[data-testid="drug-status"]').getAttribute('data-status')).toBe(drugTarget.progress.status);
    } else {
      expect(await page.locator('[data-testid="drug-target-count"]').count()).toBe(0);
    }

    const consumableTarget = pickHeadlineTarget(o.targets, 'consumable', o.date);
    const unit = consumableTarget?.unit ?? 'category';
    expect(await text(page, 'consumable-cumulative')).toBe(formatCount(coverageFor(o, 'consumable', unit).cumulative, lang));
    if (consumableTarget?.progress) {
      expect(await text(page, 'consumable-target-count')).toBe(formatCount(consumableTarget.count, lang));
      expect(await page.locator('[data-testid="consumable-status"]').getAttribute('data-status')).toBe(consumableTarget.progress.status);
    }

    expect(await text(page, 'drug-in-force')).toBe(formatCount(o.coverage.drug.inForce, lang));
    expect(await text(page, 'consumable-in-force')).toBe(formatCount(coverageFor(o, 'consumable', unit).inForce, lang));
    const notAvailable = lang === 'zh' ? '暂无' : 'n/a';
    expect(await text(page, 'drug-cut-computed')).toBe(o.cuts.drug.plainMean === null ? notAvailable : formatPercent(o.cuts.drug.plainMean));
    expect(await text(page, 'consumable-cut-computed')).toBe(o.cuts.consumable.plainMean === null ? notAvailable : formatPercent(o.cuts.consumable.plainMean));
    expect(await text(page, 'ending-count')).toBe(formatCount(groupEndingContracts(o.contractsEndingSoon).length, lang));
    // batches whose end is unknown are counted beside the figure, not left out of it silently
    const unknown = page.locator('[data-testid="card-ending"] [data-testid="ending-unknown"]');
    expect(await unknown.count()).toBe(o.contractsEndUnknown > 0 ? 1 : 0);
    if (o.contractsEndUnknown > 0) expect(await unknown.getAttribute('data-value')).toBe(String(o.contractsEndUnknown));
    // the demo sets no alert days: the window is the default, and the card says its days
    expect(o.contractWindow).toEqual({ days: 180, source: 'default' });
    expect(await textOf(page, '[data-testid="card-ending"] .figure-card__title')).toBe((lang === 'zh' ? zh : en).overview.endingTitle(formatDays(180, lang)));
    expect(await page.locator('[data-testid="synthetic-banner"]').count()).toBe(o.syntheticData ? 1 : 0);
  }

  /** The chart has drawn (or the panel says there is nothing to draw). */
  async function waitForChart(page: Page): Promise<void> {
    await page.waitForSelector('[data-testid="coverage-panel"] .recharts-surface, [data-testid="coverage-panel"] [data-testid="empty-state"]', { timeout: 30_000 });
  }

  it('shows 北京, 江苏 and 全国 with the API’s numbers (1280×800)', async () => {
    const { context, page, errors } = await signedIn();
    try {
      for (const region of ['110000', '320000', '100000']) {
        await page.goto(`${suite.base}/?region=${region}`);
        await waitForOverview(page, region);
        await expectFiguresMatch(page, await apiOverview(region));
        await waitForChart(page);
        expect(await page.locator('[data-testid="chart-summary"]').count()).toBe(1);
        await screenshot(page, `overview-${region}-1280x800`);
      }
      // Beijing's published 556 (2024-07-25) is shown beside the count computed for the same date.
      await page.goto(`${suite.base}/?region=110000`);
      await waitForOverview(page, '110000');
      const row = page.locator('[data-testid="figure-BJ-2024-07-25-drug-varieties"]');
      if ((await row.count()) > 0) {
        expect(await row.locator('[data-testid="figure-published"]').textContent()).toBe('556个品种');
        await row.locator('[data-testid="figure-computed"]').waitFor({ timeout: 15_000 });
        const atDate = await api.get<Overview>('/api/overview?region=110000&date=2024-07-25');
        expect(await row.locator('[data-testid="figure-computed"]').textContent()).toBe(formatCount(atDate.coverage.drug.cumulative));
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('switches region through the selector, keeps it in the URL, and switches language', async () => {
    const { context, page } = await signedIn();
    try {
      // No region in the URL: 全国 (the national reader's own region) by default, written into the URL.
      await page.goto(`${suite.base}/`);
      await waitForOverview(page, '100000');
      expect(new URL(page.url()).searchParams.get('region')).toBe('100000');

      await page.selectOption('[data-testid="region-select"]', '320000');
      await page.waitForURL((url) => url.searchParams.get('region') === '320000');
      await waitForOverview(page, '320000');
      const jiangsu = await apiOverview('320000');
      await expectFiguresMatch(page, jiangsu);

      // The selector is reachable and usable from the keyboard.
      await page.focus('[data-testid="region-select"]');
      await page.selectOption('[data-testid="region-select"]', '110000');
      await page.waitForURL((url) => url.searchParams.get('region') === '110000');
      await waitForOverview(page, '110000');
      await page.goBack();
      await page.waitForURL((url) => url.searchParams.get('region') === '320000');
      await waitForOverview(page, '320000');

      // The last choice is remembered for the next visit without a region in the URL.
      await page.goto(`${suite.base}/`);
      await waitForOverview(page, '320000');

      await page.click('[data-testid="lang-en"]');
      await page.waitForSelector('html[lang="en"]');
      expect(await page.locator('.brand__name').textContent()).toBe('VBP Tracker');
      await expectFiguresMatch(page, jiangsu, 'en');
      expect(await page.locator('[data-testid="lang-en"]').getAttribute('aria-pressed')).toBe('true');
      await screenshot(page, 'overview-320000-en-1280x800');

      await page.click('[data-testid="lang-zh"]');
      await page.waitForSelector('html[lang="zh-CN"]');
      expect(await page.locator('.brand__name').textContent()).toBe('集采看板');

      // An as-of date in the URL is what the page shows.
      await page.goto(`${suite.base}/?region=110000&date=2024-07-25`);
      await waitForOverview(page, '110000');
      expect(await text(page, 'as-of-date')).toBe('2024-07-25');
    } finally {
      await context.close();
    }
  });

  it('works at phone width (390×844) without horizontal scrolling', async () => {
    const { context, page } = await signedIn({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }, '/?region=320000');
    try {
      await waitForOverview(page, '320000');
      await waitForChart(page);
      await expectFiguresMatch(page, await apiOverview('320000'));
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, 'overview-320000-390x844');
    } finally {
      await context.close();
    }
  });

  /** The cut charts' tables (their text alternative) and the warnings equal the API's figures. */
  async function expectCutsMatch(page: Page, o: Overview, type: 'drug' | 'consumable'): Promise<void> {
    const bars = buildBatchCutData(o.cutsByBatch, type);
    const rows = page.locator('[data-testid="cuts-table"] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(bars.rows.length);
    for (const [i, r] of bars.rows.entries()) {
      const row = rows.nth(i);
      expect(await row.getAttribute('data-testid')).toBe(`cut-row-${r.code}`);
      expect(((await row.locator('[data-testid="cut-computed"]').textContent()) ?? '').trim()).toBe(formatPercent(r.computed));
      expect(((await row.locator('[data-testid="cut-weighted"]').textContent()) ?? '').trim()).toBe(formatPercent(r.volumeWeighted));
      expect(((await row.locator('[data-testid="cut-published"]').textContent()) ?? '').trim()).toBe(formatPercent(r.published));
    }
    if (bars.rows.length > 0) {
      // one drawn bar per batch and figure (recharts draws bars only for non-null values)
      await page.waitForSelector('[data-testid="cuts-by-batch"] .recharts-surface', { timeout: 30_000 });
      const drawn = await page.locator('[data-testid="cuts-by-batch"] .recharts-bar-rectangle').count();
      expect(drawn).toBe(bars.rows.filter((r) => r.computed !== null).length + bars.rows.filter((r) => r.published !== null).length);
    }
    const histogram = buildHistogramRows(o.cutDistribution[type]);
    if (histogram.total > 0) {
      const counts = await page.locator('[data-testid="distribution-table"] [data-testid="bin-count"]').allTextContents();
      expect(counts.map((c) => c.trim())).toEqual(histogram.rows.map((r) => formatCount(r.count)));
    } else {
      expect(await page.locator('[data-testid="cut-distribution"] [data-testid="empty-state"]').count()).toBe(1);
    }
    const warnings = unrenewedEnding(o.contractsEndingSoon);
    expect(await page.locator('[data-testid="warnings"]').getAttribute('data-count')).toBe(String(warnings.length));
    // the warning states its window and where it came from
    const stated = [formatDays(o.contractWindow.days), thresholdSourceLabel(o.contractWindow.source)] as const;
    expect(await text(page, 'warnings')).toContain(warnings.length > 0 ? overviewZh.warnings.title(...stated) : overviewZh.warnings.none(...stated));
    expect(await text(page, 'warnings')).toMatch(warnings.length > 0 ? /预警：180天内到期且尚无接续的协议（默认值）/ : /未来180天内没有尚无接续的到期协议（默认值）/);
    for (const w of warnings) {
      expect(await text(page, `warning-${w.batchCode}`)).toContain(`${w.daysLeft}天`);
    }
    // "none ending" is said with the batches whose end is unknown
    if (warnings.length === 0) expect(await page.locator('[data-testid="warnings-end-unknown"]').count()).toBe(o.contractsEndUnknown > 0 ? 1 : 0);
  }

  it('shows cuts by batch, the cut distribution and the expiry warnings as the API gives them', async () => {
    const { context, page, errors } = await signedIn();
    try {
      for (const region of ['320000', '100000']) {
        await page.goto(`${suite.base}/?region=${region}`);
        await waitForOverview(page, region);
        const o = await apiOverview(region);
        await expectCutsMatch(page, o, 'drug');
        const drug = o.cuts.drug;
        if (drug.plainMean !== null) {
          expect(await text(page, 'drug-cut-weighted')).toBe(drug.volumeWeightedMean === null ? '无约定量' : formatPercent(drug.volumeWeightedMean));
        }
        // the product type of the cut charts is kept in the URL
        await page.click('[data-testid="cuts-type-consumable"]');
        await page.waitForURL((url) => url.searchParams.get('cuts') === 'consumable');
        await expectCutsMatch(page, o, 'consumable');
        await page.locator('[data-testid="cuts-panel"]').screenshot({ path: join(ARTIFACTS, `overview-cuts-${region}.png`) });
        await page.click('[data-testid="cuts-type-drug"]');
        await page.waitForURL((url) => url.searchParams.get('cuts') === null);
      }
      // an as-of date with a contract ending soon and no renewal in 江苏's data
      await page.goto(`${suite.base}/?region=320000&date=2029-01-01`);
      await waitForOverview(page, '320000');
      await expectCutsMatch(page, await api.get<Overview>('/api/overview?region=320000&date=2029-01-01'), 'drug');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('prints the overview on one A4 page (江苏, 北京)', async () => {
    const { context, page } = await signedIn();
    try {
      for (const region of ['320000', '110000']) {
        await page.emulateMedia({ media: null });
        await page.goto(`${suite.base}/?region=${region}`);
        await waitForOverview(page, region);
        await waitForChart(page);
        await page.waitForSelector('[data-testid="cuts-by-batch"] .recharts-surface, [data-testid="cuts-by-batch"] [data-testid="empty-state"]', { timeout: 30_000 });
        const pdf = await page.pdf({ format: 'A4', printBackground: true });
        // page objects, not the page tree (/Type /Pages)
        const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? [];
        expect(pages.length).toBe(1);
        // the charts are on paper, not blank: their SVG keeps its size in print
        await page.emulateMedia({ media: 'print' });
        const box = await page.locator('[data-testid="coverage-panel"] svg.recharts-surface').last().boundingBox();
        expect(box?.width ?? 0).toBeGreaterThan(100);
        await screenshot(page, `overview-${region}-print`);
      }
    } finally {
      await context.close();
    }
  });

  it('shows the API error with its request id, and a 404 page for unknown paths', async () => {
    const { context, page } = await signedIn();
    try {
      await page.goto(`${suite.base}/?region=999999`);
      await page.waitForSelector('[data-testid="error-message"]', { timeout: 30_000 });
      const res = await api.fetch('/api/overview?region=999999');
      expect(res.ok).toBe(false);
      const body = (await res.json()) as { error: { messageZh: string; requestId: string } };
      expect(await text(page, 'error-message')).toBe(body.error.messageZh);
      expect((await text(page, 'error-request-id')).length).toBeGreaterThan(0);

      await page.goto(`${suite.base}/no-such-page`);
      await page.waitForSelector('[data-testid="not-found"]');
    } finally {
      await context.close();
    }
  });
});
