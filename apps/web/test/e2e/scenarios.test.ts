/**
 * Browser test of scenarios (规划) on the 目标 page against the real server (demo mode): as jiangsu-office a
 * plan with a planned batch is created in the form, selected in the URL, and its projection shown beside the
 * baseline; editing the batch's implementation date moves the met date; the chart draws it as its own line.
 * As national-leader the same link shows the plan read-only. The figures on screen are compared with the API.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetList, TargetView } from '@vbp/contracts/api';
import { addMonths, todayInChina } from '@vbp/contracts/dates';
import type { ScenarioList, ScenarioProjection } from '@vbp/contracts/scenarios';
import { formatCount } from '../../src/lib/format';
import { apiSignIn, DEMO_PASSWORD, HAS_CHROMIUM, signIn, type ApiSession } from './server';
import { screenshot, textOf, useBrowserSuite } from './suite';

const JIANGSU = '320000';

describe.skipIf(!HAS_CHROMIUM)('scenarios on the targets page in a browser', () => {
  const suite = useBrowserSuite();
  let office: ApiSession;
  let target: TargetView;
  let scenarioId: number;
  const name = `浏览器规划${Date.now().toString(36)}`;
  // far enough ahead that the baseline trend cannot reach the target before the planned batch starts
  const firstDate = addMonths(todayInChina(), 2);
  const laterDate = addMonths(todayInChina(), 5);

  beforeAll(async () => {
    office = await apiSignIn(suite.base, 'jiangsu-office', DEMO_PASSWORD);
    // a 江苏 drug target 60 varieties above today's coverage, due in three years: not met, not met soon
    const current = (await office.get<{ cumulative: number }>(`/api/coverage?region=${JIANGSU}&type=drug`)).cumulative;
    const res = await office.fetch('/api/targets', {
      method: 'POST',
      body: JSON.stringify({ regionCode: JIANGSU, productType: 'drug', unit: 'variety', count: current + 60, setOn: todayInChina(), dueOn: addMonths(todayInChina(), 36), clause: '规划测试', note: name }),
    });
    expect(res.status).toBe(201);
    target = (await res.json()) as TargetView;
  });

  afterAll(async () => {
    if (scenarioId) await office?.fetch(`/api/scenarios/${scenarioId}`, { method: 'DELETE' });
    if (target) await office?.fetch(`/api/targets/${target.id}`, { method: 'DELETE' });
  });

  async function waitForPanel(page: Page): Promise<void> {
    await page.waitForSelector('[data-testid="scenarios-panel"][aria-busy="false"] :is([data-testid="scenario-list"], [data-testid="empty-state"])', { timeout: 30_000 });
  }

  /** The scenario's cell for our target once it says `met` (the projection has arrived and is current). */
  async function metCell(page: Page): Promise<{ baseline: string; scenario: string; atDue: string }> {
    const row = page.locator(`[data-testid="scenario-target"][data-target="${target.id}"]`);
    await row.waitFor({ timeout: 30_000 });
    return {
      baseline: ((await row.locator('[data-testid="baseline-met"]').textContent()) ?? '').trim(),
      scenario: ((await row.locator(`[data-testid="scenario-cell"][data-scenario="${scenarioId}"] [data-testid="scenario-met"]`).textContent()) ?? '').trim(),
      atDue: ((await row.locator(`[data-testid="scenario-cell"][data-scenario="${scenarioId}"] [data-testid="scenario-at-due"]`).textContent()) ?? '').trim(),
    };
  }

  it('jiangsu-office: creates a plan with a planned batch and sees the met date and projected count move', async () => {
    const { page, context, errors } = await suite.open();
    await signIn(page, suite.base, 'jiangsu-office', DEMO_PASSWORD, '/targets');
    await waitForPanel(page);

    await page.click('[data-testid="add-scenario"]');
    await page.waitForSelector('[data-testid="scenario-form"]');
    // submitting without a name or a batch's varieties says so, in Chinese
    await page.click('[data-testid="scenario-save"]');
    await page.waitForSelector('[data-testid="scenario-form-issues"]');
    expect(await textOf(page, '[data-testid="scenario-form-issues"]')).toContain('规划名称不能为空');

    await page.fill('[data-testid="scenario-name"]', name);
    await page.fill('[data-testid="batch-name"]', '省级第十批（规划）');
    await page.selectOption('[data-testid="batch-level"]', 'provincial');
    await page.fill('[data-testid="batch-implementation"]', firstDate);
    await page.selectOption('[data-testid="batch-mode"]', 'count');
    await page.fill('[data-testid="batch-count"]', '100');
    await page.fill('[data-testid="batch-share"]', '0.2');
    await screenshot(page, 'scenarios-office-form');
    await page.click('[data-testid="scenario-save"]');
    await page.waitForSelector('[data-testid="scenario-form"]', { state: 'detached', timeout: 30_000 });

    const saved = (await office.get<ScenarioList>(`/api/scenarios?region=${JIANGSU}`)).items.find((s) => s.name === name);
    expect(saved).toMatchObject({ regionCode: JIANGSU, batches: [{ varietyCount: 100, coveredShare: '0.200', implementationDate: firstDate }] });
    scenarioId = saved!.id;
    // the new plan is selected, in the URL
    await page.waitForURL((url) => url.searchParams.get('scenario') === String(scenarioId));

    const projection = await office.get<ScenarioProjection>(`/api/scenarios/${scenarioId}/projection`);
    const mine = projection.targets.find((x) => x.targetId === target.id)!;
    // 100 × (1 − 0.2) = 80 net new, more than the 60 missing: met the day the batch starts, before the baseline
    expect(projection.netNewVarieties).toBe(80);
    expect(mine.scenario.metOn).toBe(firstDate);
    expect(mine.baseline.metOn === null || mine.baseline.metOn > firstDate).toBe(true);
    await expect.poll(() => metCell(page), { timeout: 30_000 }).toEqual({ baseline: mine.baseline.metOn ?? '无法达到', scenario: firstDate, atDue: formatCount(Math.round(mine.scenario.projectedAtDue!), 'zh') });
    expect(await textOf(page, `[data-testid="scenario-target"][data-target="${target.id}"] [data-testid="baseline-at-due"]`)).toBe(formatCount(Math.round(mine.baseline.projectedAtDue!), 'zh'));
    expect(await textOf(page, '[data-testid="scenario-net-new"]')).toBe('净新增 80 个品种');
    // everything scenario is labelled 规划
    expect(await textOf(page, '[data-testid="scenario-row"] .scenario-tag')).toBe('规划');

    // the chart draws the plan as its own line, with a data table
    await page.selectOption('[data-testid="scenario-chart-target"]', String(target.id));
    await page.waitForSelector('[data-testid="scenario-chart"] .recharts-surface', { timeout: 30_000 });
    expect(await page.locator('[data-testid="scenario-chart"] .recharts-line').count()).toBe(3);
    expect(await textOf(page, '[data-testid="scenario-chart-summary"]')).toContain(`规划“${name}”预计达标 ${firstDate}`);
    // the lines as plotted: the baseline and the plan each run past today (where the actual line ends)
    const extents = await page.$$eval('[data-testid="scenario-chart"] .recharts-line .recharts-curve', (paths) =>
      paths.map((p) => {
        const xs = [...(p.getAttribute('d') ?? '').matchAll(/[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)].map((m) => Number(m[1]));
        return { points: xs.length, right: Math.max(...xs) };
      }),
    );
    expect(extents).toHaveLength(3);
    const [actualLine, ...projected] = extents;
    for (const line of projected) {
      expect(line.points).toBeGreaterThan(2);
      expect(line.right).toBeGreaterThan(actualLine!.right + 50);
    }
    await screenshot(page, 'scenarios-office-desktop');

    // back on 目标 from the navigation (no selection in the link): the plan is still chosen
    await page.click('[data-testid="nav-overview"]');
    await page.waitForURL((url) => url.pathname === '/');
    await page.click('[data-testid="nav-targets"]');
    await page.waitForURL((url) => url.pathname === '/targets' && url.searchParams.get('scenario') === String(scenarioId), { timeout: 30_000 });

    // Later implementation: the met date moves with it.
    await page.click(`[data-testid="scenario-row"][data-id="${scenarioId}"] [data-testid="edit-scenario"]`);
    await page.waitForSelector('[data-testid="scenario-form"]');
    expect(await page.inputValue('[data-testid="batch-count"]')).toBe('100');
    await page.fill('[data-testid="batch-implementation"]', laterDate);
    await page.click('[data-testid="scenario-save"]');
    await page.waitForSelector('[data-testid="scenario-form"]', { state: 'detached', timeout: 30_000 });
    const moved = (await office.get<ScenarioProjection>(`/api/scenarios/${scenarioId}/projection`)).targets.find((x) => x.targetId === target.id)!;
    const expectedMet = moved.scenario.metOn!;
    expect(expectedMet > firstDate).toBe(true);
    expect(expectedMet <= laterDate).toBe(true);
    await expect.poll(async () => (await metCell(page)).scenario, { timeout: 30_000 }).toBe(expectedMet);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('national-leader: the shared link shows the plan beside the baseline, read-only', async () => {
    expect(scenarioId).toBeGreaterThan(0);
    const leader = await apiSignIn(suite.base, 'national-leader', DEMO_PASSWORD);
    const projection = await leader.get<ScenarioProjection>(`/api/scenarios/${scenarioId}/projection`);
    const mine = projection.targets.find((x) => x.targetId === target.id)!;
    const { page, context, errors } = await suite.open();
    await signIn(page, suite.base, 'national-leader', DEMO_PASSWORD, `/targets?region=${JIANGSU}&scenario=${scenarioId}`);
    await waitForPanel(page);
    await page.locator(`[data-testid="scenario-row"][data-id="${scenarioId}"]`).waitFor({ timeout: 30_000 });
    expect(await page.locator(`[data-testid="scenario-row"][data-id="${scenarioId}"] [data-testid="scenario-show"]`).isChecked()).toBe(true);
    await expect.poll(async () => (await metCell(page)).scenario, { timeout: 30_000 }).toBe(mine.scenario.metOn);
    // no add, edit or delete for a leader
    expect(await page.locator('[data-testid="add-scenario"], [data-testid="edit-scenario"], [data-testid="delete-scenario"]').count()).toBe(0);
    // the targets themselves are unchanged by the plan
    const listed = (await leader.get<TargetList>(`/api/targets?region=${JIANGSU}`)).items.find((x) => x.id === target.id)!;
    expect(listed.progress?.projectedMetOn ?? null).toBe(mine.baseline.metOn);
    // filtering the targets keeps the plan selected
    await page.selectOption('[data-testid="filter-type"]', 'drug');
    await page.click('[data-testid="filter-apply"]');
    await page.waitForURL((url) => url.searchParams.get('type') === 'drug' && url.searchParams.get('scenario') === String(scenarioId));
    await expect.poll(async () => (await metCell(page)).scenario, { timeout: 30_000 }).toBe(mine.scenario.metOn);
    await screenshot(page, 'scenarios-leader-desktop');
    expect(errors).toEqual([]);
    await context.close();
  });
});
