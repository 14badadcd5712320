/**
 * Browser test of the warning settings (设置 / 预警阈值) against the real server in demo mode, where 江苏
 * (320000) has labelled synthetic agreed volumes and purchases. As 江苏's procurement office: the overview and
 * the execution page state the default threshold (0.8), an invalid value is refused beside its field, a new
 * threshold is saved, and the overview's and execution page's warnings then state it and count what the API
 * counts with it. As the national leader: the settings are shown read-only. The contracts page lists the
 * expiry alerts by stage as the API does; with alert days 90, 30, 7 the overview and the contracts page list
 * only the contracts ending within 90 days and say so (本省设置). Screenshots at 1280×800.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Overview } from '@vbp/contracts/api';
import type { ContractAlerts } from '@vbp/contracts/contract-alerts';
import type { ContractPeriods } from '@vbp/contracts/contract-periods';
import { addDays } from '@vbp/contracts/dates';
import type { ExecutionList, ExecutionSummary } from '@vbp/contracts/execution';
import type { RegionSettingsView } from '@vbp/contracts/settings';
import { contractsZh } from '../../src/features/contracts/i18n/zh';
import { overviewZh } from '../../src/features/overview/i18n/zh';
import { groupEndingContracts } from '../../src/features/overview/utils/contracts';
import { unrenewedEnding } from '../../src/features/overview/utils/warnings';
import { apiSignIn, DEMO_PASSWORD, HAS_CHROMIUM, signIn } from './server';
import { screenshot, textOf, useBrowserSuite, type OpenPage } from './suite';

const REGION = '320000';
// inside the demo's synthetic data (contract years running, purchases through 2024-12)
const DATE = '2024-06-30';

describe.skipIf(!HAS_CHROMIUM)('warning settings in a browser', () => {
  const suite = useBrowserSuite();
  const text = (page: Page, testId: string) => textOf(page, `[data-testid="${testId}"]`);

  async function signedIn(user: string, next: string): Promise<OpenPage> {
    const opened = await suite.open();
    await signIn(opened.page, suite.base, user, DEMO_PASSWORD, next);
    return opened;
  }

  /** The overview's execution panel has its answer for the region. */
  async function overviewThreshold(page: Page): Promise<string> {
    await page.goto(`${suite.base}/?region=${REGION}&date=${DATE}`);
    await page.waitForSelector(`[data-testid="overview-page"][data-region="${REGION}"]`, { timeout: 60_000 });
    await page.waitForSelector('[data-testid="exec-summary-threshold"]', { timeout: 120_000 });
    return text(page, 'exec-summary-threshold');
  }

  async function executionThreshold(page: Page): Promise<string> {
    await page.goto(`${suite.base}/execution?region=${REGION}&date=${DATE}`);
    await page.waitForSelector('[data-testid="exec-threshold"]', { timeout: 120_000 });
    return text(page, 'exec-threshold');
  }

  it('jiangsu-office: changes the warning threshold and the warnings state the new one', async () => {
    const api = await apiSignIn(suite.base, 'jiangsu-office', DEMO_PASSWORD);
    const { context, page, errors } = await signedIn('jiangsu-office', `/?region=${REGION}&date=${DATE}`);
    try {
      const before = await api.get<ExecutionSummary>(`/api/execution/summary?region=${REGION}&date=${DATE}`);
      expect(before).toMatchObject({ threshold: 0.8, thresholdSource: 'default' });
      expect(await overviewThreshold(page)).toBe('完成率低于“序时进度 × 0.8（默认值）”记为滞后。');
      expect(await text(page, 'card-ending')).toContain('180天内到期的协议');
      expect(await text(page, 'exec-summary-institutions')).toContain(`滞后医疗机构 ${before.institutions.behind}`);
      expect(await executionThreshold(page)).toBe('× 0.8（默认值）');

      // the settings page through the navigation: the defaults, editable by the office
      await page.click('[data-testid="nav-settings"]');
      await page.waitForSelector('[data-testid="settings-form"]', { timeout: 30_000 });
      expect(await page.inputValue('[data-testid="settings-threshold"]')).toBe('0.8');
      expect(await page.inputValue('[data-testid="settings-alert-days"]')).toBe('180, 90, 60, 30, 7');
      expect(await text(page, 'settings-provenance')).toContain('默认值');

      // refused beside the field, nothing saved
      await page.fill('[data-testid="settings-threshold"]', '1.5');
      await page.click('[data-testid="settings-save"]');
      expect(await text(page, 'field-error')).toBe('预警阈值不得超过 1');
      expect((await api.get<RegionSettingsView>(`/api/settings?region=${REGION}`)).isDefault).toBe(true);

      await page.fill('[data-testid="settings-threshold"]', '0.95');
      await page.click('[data-testid="settings-save"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="settings-provenance"]')?.textContent?.includes('jiangsu-office'), undefined, { timeout: 30_000 });
      expect(await api.get<RegionSettingsView>(`/api/settings?region=${REGION}`)).toMatchObject({ progressWarningThreshold: 0.95, isDefault: false, updatedBy: 'jiangsu-office' });
      await screenshot(page, 'settings-jiangsu-office-1280x800');

      const after = await api.get<ExecutionSummary>(`/api/execution/summary?region=${REGION}&date=${DATE}`);
      expect(after).toMatchObject({ threshold: 0.95, thresholdSource: 'setting' });
      // a stricter threshold flags at least as many institutions
      expect(after.institutions.behind).toBeGreaterThanOrEqual(before.institutions.behind);
      expect(await overviewThreshold(page)).toBe('完成率低于“序时进度 × 0.95（本省设置）”记为滞后。');
      expect(await text(page, 'exec-summary-institutions')).toContain(`滞后医疗机构 ${after.institutions.behind}`);
      await screenshot(page, 'settings-overview-jiangsu-office-1280x800');

      expect(await executionThreshold(page)).toBe('× 0.95（本省设置）');
      const list = await api.get<ExecutionList>(`/api/execution?region=${REGION}&date=${DATE}&pageSize=20`);
      expect(list).toMatchObject({ threshold: 0.95, thresholdSource: 'setting' });
      await page.waitForSelector('[data-testid="exec-total-behind"]');
      expect(await text(page, 'exec-total-behind')).toContain(`${list.behindCount.toLocaleString('zh-CN')} / ${list.allRows.toLocaleString('zh-CN')}`);

      // the contracts page lists the expiry alerts by stage as the API counts them
      const alerts = await api.get<ContractAlerts>(`/api/contracts/alerts?region=${REGION}&date=${DATE}`);
      await page.goto(`${suite.base}/contracts?region=${REGION}&date=${DATE}`);
      await page.waitForSelector('[data-testid="contract-alert-stages"]', { timeout: 60_000 });
      for (const s of alerts.stages) expect(await page.getAttribute(`[data-testid="contract-alert-stage-${s.days}"]`, 'data-count')).toBe(String(s.count));
      expect(await page.locator('[data-testid="contract-alert-row"]').count()).toBe(Math.min(alerts.total, 20));

      // alert days 90, 30, 7: the overview and the contracts page list only what ends within 90 days, and say so.
      // As of 120 days before one of 江苏's contract ends (and after it started), that contract ends soon by default.
      const known = (await api.get<ContractPeriods>(`/api/contracts?region=${REGION}&date=2030-12-31`)).items;
      const in120 = known.find((p) => p.contractEndOn !== null && addDays(p.contractEndOn, -120) >= p.startOn);
      expect(in120).toBeDefined();
      const when = addDays(in120!.contractEndOn!, -120);
      const endingBefore = (await api.get<Overview>(`/api/overview?region=${REGION}&date=${when}`)).contractsEndingSoon;
      expect(endingBefore.filter((c) => c.batchCode === in120!.batchCode).map((c) => c.daysLeft)).toEqual([120]);
      const stateBefore = (await api.get<ContractPeriods>(`/api/contracts?region=${REGION}&date=${when}`)).items.find((p) => p.batchCode === in120!.batchCode);
      expect(stateBefore).toMatchObject({ daysLeft: 120, state: 'ending_soon' });
      await page.goto(`${suite.base}/settings?region=${REGION}`);
      await page.waitForSelector('[data-testid="settings-form"]', { timeout: 30_000 });
      await page.fill('[data-testid="settings-alert-days"]', '7, 90, 30');
      await page.click('[data-testid="settings-save"]');
      await expect.poll(async () => (await api.get<RegionSettingsView>(`/api/settings?region=${REGION}`)).contractAlertDays, { timeout: 30_000 }).toEqual([90, 30, 7]);
      const overview = await api.get<Overview>(`/api/overview?region=${REGION}&date=${when}`);
      expect(overview.contractWindow).toEqual({ days: 90, source: 'setting' });
      expect(overview.contractsEndingSoon).toEqual(endingBefore.filter((c) => c.daysLeft <= 90));
      await page.goto(`${suite.base}/?region=${REGION}&date=${when}`);
      await page.waitForSelector(`[data-testid="overview-page"][data-region="${REGION}"][aria-busy="false"]`, { timeout: 60_000 });
      await page.waitForSelector('[data-testid="card-ending"][data-window-days="90"]', { timeout: 30_000 });
      expect(await text(page, 'card-ending')).toContain('90天内到期的协议');
      expect(await text(page, 'ending-count')).toBe(String(groupEndingContracts(overview.contractsEndingSoon).length));
      const warnings = unrenewedEnding(overview.contractsEndingSoon);
      expect(await text(page, 'warnings')).toContain(warnings.length > 0 ? overviewZh.warnings.title('90天', '本省设置') : overviewZh.warnings.none('90天', '本省设置'));
      await screenshot(page, 'settings-overview-alert-days-jiangsu-office-1280x800');

      const periods = await api.get<ContractPeriods>(`/api/contracts?region=${REGION}&date=${when}`);
      expect([periods.windowDays, periods.windowSource]).toEqual([90, 'setting']);
      expect(periods.items.find((p) => p.batchCode === in120!.batchCode)).toMatchObject({ daysLeft: 120, state: 'running' });
      expect(periods.items.filter((p) => p.state === 'ending_soon').every((p) => p.daysLeft !== null && p.daysLeft <= 90)).toBe(true);
      await page.goto(`${suite.base}/contracts?region=${REGION}&date=${when}`);
      await page.waitForSelector('[data-testid="contract-counts"][data-window-days="90"]', { timeout: 60_000 });
      expect(await page.locator('[data-testid="contract-counts"] dt').nth(1).textContent()).toBe(contractsZh.counts.endingSoon('90天'));
      expect(await text(page, 'count-endingSoon')).toBe(String(periods.items.filter((p) => p.state === 'ending_soon').length));
      expect(await page.locator('[data-testid="contracts-window-rule"]').textContent()).toContain('“即将到期”指90天内期满（本地区到期预警天数中最大者，本省设置）');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('national-leader: sees the settings read-only', async () => {
    const api = await apiSignIn(suite.base, 'national-leader', DEMO_PASSWORD);
    const settings = await api.get<RegionSettingsView>(`/api/settings?region=${REGION}`);
    const { context, page, errors } = await signedIn('national-leader', `/settings?region=${REGION}`);
    try {
      await page.waitForSelector('[data-testid="settings-read-only"]', { timeout: 30_000 });
      expect(await page.locator('[data-testid="settings-form"], [data-testid="settings-save"], [data-testid="settings-threshold"]').count()).toBe(0);
      expect(await text(page, 'settings-threshold-value')).toBe(String(settings.progressWarningThreshold));
      expect(await text(page, 'settings-alert-days-value')).toBe(`${settings.contractAlertDays.join(', ')} 天`);
      expect(await text(page, 'settings-title')).toContain('江苏');
      await screenshot(page, 'settings-national-leader-1280x800');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
