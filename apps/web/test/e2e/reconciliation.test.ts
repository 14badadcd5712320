/**
 * Browser test of the 核对 page against the real server (demo mode, real reference data): the national
 * leader opens 北京 (556 drugs: published, computed, difference and the reasons equal /api/reconciliation),
 * switches the region in the header (全国: 374 counted from D9's tender, 333 by implementation; 江苏: no
 * published figure, its 550 / 30 listed as targets) and to every region; jiangsu-office sees 江苏 and 全国
 * only. Screenshots at 1280×800 and 390×844.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Reconciliation, ReconciliationItem } from '@vbp/contracts/reconciliation';
import { formatDifference, formatPublishedValue, formatReconciledValue } from '../../src/lib/published-figure';
import { apiSignIn, DEMO_PASSWORD, HAS_CHROMIUM, horizontalOverflow, signIn, type ApiSession } from './server';
import { screenshot, textOf, useBrowserSuite } from './suite';

describe.skipIf(!HAS_CHROMIUM)('reconciliation page in a browser', () => {
  const suite = useBrowserSuite();
  let leader: ApiSession;

  beforeAll(async () => {
    leader = await apiSignIn(suite.base, 'national-leader', DEMO_PASSWORD);
  });

  /** The page shows `scope` (a region code or 'all') and nothing is still updating. */
  async function waitForPage(page: Page, scope: string): Promise<void> {
    await page.waitForSelector(
      `[data-testid="reconciliation-page"][data-region="${scope}"][aria-busy="false"] [data-testid="reconciliation-panel"] :is([data-testid="reconciliation-summary"], [data-testid="empty-state"])`,
      { timeout: 30_000 },
    );
  }

  /** One row on screen equals the API's item, formatted as the page formats it. */
  async function expectRow(page: Page, item: ReconciliationItem): Promise<void> {
    const row = page.locator(`[data-testid="figure-row"][data-code="${item.figure.code}"]`);
    expect(await row.getAttribute('data-status')).toBe(item.status);
    expect((await row.locator('[data-testid="figure-published"]').textContent())?.trim()).toBe(formatPublishedValue(item.figure, 'zh'));
    expect((await row.locator('[data-testid="figure-computed"]').textContent())?.trim()).toBe(formatReconciledValue(item, item.computed, 'zh'));
    expect((await row.locator('[data-testid="figure-difference"]').textContent())?.trim()).toBe(formatDifference(item, 'zh'));
    expect((await row.locator('[data-testid="figure-current"]').textContent())?.trim()).toBe(formatReconciledValue(item, item.current, 'zh'));
    expect(await row.locator('[data-testid="figure-explanations"] li').allTextContents()).toEqual(item.explanations.map((e) => e.messageZh));
    if (item.figure.source.clause) expect(await row.textContent()).toContain(item.figure.source.clause);
  }

  async function expectPageEqualsApi(page: Page, body: Reconciliation): Promise<void> {
    expect(await page.$$eval('[data-testid="figure-row"]', (rows) => rows.map((r) => r.getAttribute('data-code')))).toEqual(body.items.map((i) => i.figure.code));
    for (const item of body.items) await expectRow(page, item);
  }

  it('leader: 北京 556 published beside computed, with the difference and the reasons; region switch to 全国 and 江苏; every region', async () => {
    const { page, context, errors } = await suite.open();
    await signIn(page, suite.base, 'national-leader', DEMO_PASSWORD, '/reconciliation?region=110000');
    await waitForPage(page, '110000');

    const beijing = await leader.get<Reconciliation>('/api/reconciliation?region=110000');
    const drugs = beijing.items.find((i) => i.figure.code === 'BJ-2024-07-25-drug-varieties')!;
    expect(drugs).toMatchObject({ published: 556, computed: 556, status: 'matches' });
    const row = page.locator('[data-testid="figure-row"][data-code="BJ-2024-07-25-drug-varieties"]');
    expect(await textOf(page, '[data-testid="figure-row"][data-code="BJ-2024-07-25-drug-varieties"] [data-testid="figure-published"]')).toBe('556个品种');
    expect((await row.locator('[data-testid="figure-computed"]').textContent())?.trim()).toBe('556');
    expect((await row.locator('[data-testid="figure-difference"]').textContent())?.trim()).toBe('±0');
    expect(await row.locator('[data-testid="reconciliation-status"]').textContent()).toBe('一致');
    // the reasons that qualify it: placeholder lists counted
    expect(await row.locator('[data-testid="figure-explanations"] li[data-kind="placeholders"]').count()).toBe(1);
    expect(await row.textContent()).toContain('一(四)2');
    // the average cut "more than 50%" is there, with its own verdict
    const cut = page.locator('[data-testid="figure-row"][data-code="BJ-2024-07-25-drug-avg-cut"]');
    expect((await cut.locator('[data-testid="figure-published"]').textContent())?.trim()).toBe('超过50%');
    await expectPageEqualsApi(page, beijing);
    await screenshot(page, 'reconciliation-beijing-desktop');

    // The header's region selector: 全国.
    await page.selectOption('[data-testid="region-select"]', '100000');
    await page.waitForURL((url) => url.searchParams.get('region') === '100000');
    await waitForPage(page, '100000');
    const nation = await leader.get<Reconciliation>('/api/reconciliation?region=100000');
    await expectPageEqualsApi(page, nation);
    const national = page.locator('[data-testid="figure-row"][data-code="CN-2023-11-25-drug-varieties"]');
    expect((await national.locator('[data-testid="figure-computed"]').textContent())?.trim()).toBe('333');
    expect((await national.locator('[data-testid="figure-difference"]').textContent())?.trim()).toBe('−41');
    expect(await national.locator('[data-testid="figure-explanations"] li[data-kind="implemented_after"]').textContent()).toContain('D9');
    expect(await national.locator('[data-testid="figure-note"]').textContent()).toContain('第九批');

    // 江苏: nothing published to reconcile; its 550 and 30 are targets, listed apart.
    await page.selectOption('[data-testid="region-select"]', '320000');
    await page.waitForURL((url) => url.searchParams.get('region') === '320000');
    await waitForPage(page, '320000');
    expect(await page.locator('[data-testid="figure-row"]').count()).toBe(0);
    expect(await page.locator('[data-testid="reconciliation-panel"] [data-testid="empty-state"]').count()).toBe(1);
    const targets = page.locator('[data-testid="reconciliation-target"]');
    await targets.first().waitFor();
    const targetText = (await targets.allTextContents()).join(' ');
    expect(targetText).toContain('≥ 550个品种');
    expect(targetText).toContain('≥ 30个品种');
    expect(await targets.count()).toBe(2);

    // Every region the leader may read, in one table.
    await page.click('[data-testid="scope-all"]');
    await page.waitForURL((url) => url.searchParams.get('scope') === 'all');
    await waitForPage(page, 'all');
    const all = await leader.get<Reconciliation>('/api/reconciliation');
    await expectPageEqualsApi(page, all);
    expect(await textOf(page, '[data-testid="reconciliation-summary"]')).toContain(`共 ${all.items.length} 项`);
    await screenshot(page, 'reconciliation-all-desktop');
    expect(errors).toEqual([]);
    await context.close();

    const phone = await suite.open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(phone.page, suite.base, 'national-leader', DEMO_PASSWORD, '/reconciliation?region=110000');
    await waitForPage(phone.page, '110000');
    expect(await horizontalOverflow(phone.page)).toBe(0);
    await screenshot(phone.page, 'reconciliation-beijing-phone');
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  it('jiangsu-office: 江苏 and 全国 only', async () => {
    const office = await apiSignIn(suite.base, 'jiangsu-office', DEMO_PASSWORD);
    const { page, context, errors } = await suite.open();
    await signIn(page, suite.base, 'jiangsu-office', DEMO_PASSWORD, '/reconciliation?region=320000');
    await waitForPage(page, '320000');
    expect(await page.locator('[data-testid="reconciliation-target"]').count()).toBe(2);
    await page.click('[data-testid="scope-all"]');
    await waitForPage(page, 'all');
    const mine = await office.get<Reconciliation>('/api/reconciliation');
    expect(new Set(mine.items.map((i) => i.figure.regionCode))).toEqual(new Set(['100000']));
    await expectPageEqualsApi(page, mine);
    expect((await office.fetch('/api/reconciliation?region=110000')).status).toBe(403);
    expect(errors).toEqual([]);
    await context.close();

    const phone = await suite.open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(phone.page, suite.base, 'jiangsu-office', DEMO_PASSWORD, '/reconciliation?region=100000');
    await waitForPage(phone.page, '100000');
    expect(await horizontalOverflow(phone.page)).toBe(0);
    await screenshot(phone.page, 'reconciliation-office-phone');
    await phone.context.close();
  });
});
