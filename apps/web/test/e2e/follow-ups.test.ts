/**
 * Browser test of the follow-up list (督办) against the real server in demo mode, where 江苏 (320000) has
 * labelled synthetic agreed volumes and purchases. As 江苏's procurement office: put a lagging hospital on the
 * list from the execution page (加入督办), see it on the list, move it to 已约谈 and close it, the API saying
 * the same at each step. As the national leader: the list is read-only, and the execution page offers no
 * 加入督办. Screenshots at 1280×800 and 390×844.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FollowUpList, FollowUpView } from '@vbp/contracts/follow-ups';
import { apiSignIn, DEMO_PASSWORD, HAS_CHROMIUM, horizontalOverflow, signIn } from './server';
import { screenshot, textOf, useBrowserSuite, type OpenPage } from './suite';

const REGION = '320000';
// inside the demo's synthetic data (contract years running, purchases through 2024-12)
const DATE = '2024-06-30';

describe.skipIf(!HAS_CHROMIUM)('follow-up list in a browser', () => {
  const suite = useBrowserSuite();

  async function signedIn(user: string, next: string, viewport = { width: 1280, height: 800 }): Promise<OpenPage> {
    const opened = await suite.open({ viewport });
    await signIn(opened.page, suite.base, user, DEMO_PASSWORD, next);
    return opened;
  }

  /** The page on screen answers the URL's view (nothing updating), with rows or its empty state. */
  async function waitForView(page: Page, testId: string, rows: string): Promise<void> {
    const view = new URL(page.url()).searchParams.toString();
    await page.waitForSelector(`[data-testid="${testId}"][data-view="${view}"][aria-busy="false"]`, { timeout: 120_000 });
    await page.waitForSelector(`[data-testid="${rows}"], [data-testid="empty-state"]`, { timeout: 30_000 });
  }

  const listUrl = (query = '') => `/follow-ups?region=${REGION}&date=${DATE}${query}`;

  it('jiangsu-office: puts a lagging hospital on the list from the execution page, interviews it and closes it', async () => {
    const api = await apiSignIn(suite.base, 'jiangsu-office', DEMO_PASSWORD);
    const { context, page, errors } = await signedIn('jiangsu-office', `/execution?region=${REGION}&date=${DATE}&behind=1`);
    try {
      await waitForView(page, 'execution-page', 'exec-row');
      const row = page.locator('[data-testid="exec-row"][data-behind="true"]').first();
      const institutionId = Number(await row.getAttribute('data-key'));
      const name = ((await row.locator('[data-testid="exec-drill"]').textContent()) ?? '').trim();
      expect(institutionId).toBeGreaterThan(0);

      // 加入督办: reason, note and due date in a small form
      await row.locator('[data-testid="follow-up-add"]').click();
      const dialog = page.locator('[data-testid="follow-up-add-dialog"]');
      await dialog.waitFor();
      expect(await textOf(page, '[data-testid="follow-up-add-dialog"] h2')).toContain(name);
      await dialog.locator('[data-testid="follow-up-reason"]').selectOption('supply');
      await dialog.locator('[data-testid="follow-up-note"]').fill('配送企业断供，已电话了解');
      await dialog.locator('[data-testid="follow-up-due-on"]').fill('2024-07-31');
      await screenshot(page, 'follow-up-add-jiangsu-office-1280x800');
      await dialog.locator('[data-testid="follow-up-add-submit"]').click();
      await row.locator('[data-testid="follow-up-added"]').waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-testid="follow-up-add-dialog"]').count()).toBe(0);

      const listed = await api.get<FollowUpList>(`/api/follow-ups?region=${REGION}&date=${DATE}&status=open&pageSize=100`);
      const item = listed.items.find((i) => i.institution.id === institutionId && i.note === '配送企业断供，已电话了解');
      expect(item).toMatchObject({ reason: 'supply', dueOn: '2024-07-31', status: 'open', overdue: false, variety: null, createdBy: 'jiangsu-office' });

      // on the list, as the API has it
      await page.goto(`${suite.base}${listUrl()}`);
      await waitForView(page, 'follow-ups-page', 'follow-up-row');
      expect(await page.locator('[data-testid="follow-ups-read-only"]').count()).toBe(0);
      const onList = page.locator(`[data-testid="follow-up-row"][data-id="${item!.id}"]`);
      expect(await onList.locator('[data-testid="follow-up-institution"]').textContent()).toBe(name);
      expect(await onList.locator('[data-testid="follow-up-status"]').textContent()).toBe('待处理');
      expect(await onList.getAttribute('data-caught-up')).toBe(String(item!.caughtUp));
      expect((await onList.locator('[data-testid="follow-up-note"]').textContent())?.trim()).toBe('配送企业断供，已电话了解');
      await screenshot(page, 'follow-ups-jiangsu-office-1280x800');

      // 已约谈, with a note
      await onList.locator('[data-testid="follow-up-change"]').click();
      const change = page.locator('[data-testid="follow-up-change-dialog"]');
      await change.waitFor();
      expect(await change.locator('[data-testid="follow-up-new-status"]').inputValue()).toBe('interviewed');
      await change.locator('[data-testid="follow-up-change-note"]').fill('已约谈药剂科主任，承诺7月补采');
      await change.locator('[data-testid="follow-up-change-submit"]').click();
      await page.waitForSelector(`[data-testid="follow-up-row"][data-id="${item!.id}"][data-status="interviewed"]`, { timeout: 30_000 });
      expect((await onList.locator('[data-testid="follow-up-note"]').textContent())?.trim()).toBe('已约谈药剂科主任，承诺7月补采');

      // 已关闭
      await onList.locator('[data-testid="follow-up-change"]').click();
      await change.waitFor();
      await change.locator('[data-testid="follow-up-new-status"]').selectOption('closed');
      await change.locator('[data-testid="follow-up-change-submit"]').click();
      await page.waitForSelector(`[data-testid="follow-up-row"][data-id="${item!.id}"][data-status="closed"]`, { timeout: 30_000 });
      expect(await onList.locator('[data-testid="follow-up-status"]').textContent()).toBe('已关闭');
      const closed = (await api.get<FollowUpList>(`/api/follow-ups?region=${REGION}&date=${DATE}&status=closed&pageSize=100`)).items.find((i) => i.id === item!.id);
      expect(closed).toMatchObject({ status: 'closed', note: '已约谈药剂科主任，承诺7月补采', updatedBy: 'jiangsu-office', caughtUp: null });
      expect(closed!.closedAt).not.toBeNull();

      // filtered by status: the URL follows, and the closed item is there
      await page.selectOption('[data-testid="follow-ups-filter-status"]', 'closed');
      await page.click('[data-testid="follow-ups-apply"]');
      await page.waitForURL((url) => url.searchParams.get('status') === 'closed');
      await waitForView(page, 'follow-ups-page', 'follow-up-row');
      const statuses = await page.locator('[data-testid="follow-up-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
      expect(statuses.length).toBeGreaterThan(0);
      expect(new Set(statuses)).toEqual(new Set(['closed']));
      expect(await page.locator(`[data-testid="follow-up-row"][data-id="${item!.id}"]`).count()).toBe(1);

      // a phone: no sideways scroll
      const phone = await signedIn('jiangsu-office', listUrl());
      try {
        await phone.page.setViewportSize({ width: 390, height: 844 });
        await waitForView(phone.page, 'follow-ups-page', 'follow-up-row');
        expect(await horizontalOverflow(phone.page)).toBeLessThanOrEqual(0);
        await screenshot(phone.page, 'follow-ups-jiangsu-office-390x844');
        expect(phone.errors).toEqual([]);
      } finally {
        await phone.context.close();
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 420_000);

  it('national-leader: reads the list and the overview counts, and may change nothing', async () => {
    // an item of the office's own, so the leader has one to read whatever ran before
    const office = await apiSignIn(suite.base, 'jiangsu-office', DEMO_PASSWORD);
    const behind = await office.get<{ items: { institutionId: number | null }[] }>(`/api/execution?region=${REGION}&date=${DATE}&behind=true&pageSize=1`);
    const created = await office.fetch('/api/follow-ups', {
      method: 'POST',
      body: JSON.stringify({ regionCode: REGION, institutionId: behind.items[0]!.institutionId, reason: 'not_reported', note: '领导只读测试', dueOn: '2024-06-01' }),
    });
    expect(created.status).toBe(201);
    const item = (await created.json()) as FollowUpView;

    const leader = await apiSignIn(suite.base, 'national-leader', DEMO_PASSWORD);
    const refused = await leader.fetch(`/api/follow-ups/${item.id}?region=${REGION}`, { method: 'PATCH', body: JSON.stringify({ status: 'closed' }) });
    expect(refused.status).toBe(403);

    const { context, page, errors } = await signedIn('national-leader', listUrl());
    try {
      await waitForView(page, 'follow-ups-page', 'follow-up-row');
      expect(await page.locator('[data-testid="follow-ups-read-only"]').count()).toBe(1);
      const row = page.locator(`[data-testid="follow-up-row"][data-id="${item.id}"]`);
      expect(await row.getAttribute('data-status')).toBe('open');
      // due 2024-06-01, the view's date is 2024-06-30
      expect(await row.getAttribute('data-overdue')).toBe('true');
      expect(await page.locator('[data-testid="follow-up-change"]').count()).toBe(0);
      expect(await page.locator('[data-testid="follow-ups-export"]').getAttribute('href')).toContain(`/api/follow-ups/export.xlsx?region=${REGION}`);
      await screenshot(page, 'follow-ups-national-leader-1280x800');

      // the execution page offers the leader no 加入督办
      await page.goto(`${suite.base}/execution?region=${REGION}&date=${DATE}&behind=1`);
      await waitForView(page, 'execution-page', 'exec-row');
      expect(await page.locator('[data-testid="exec-row"]').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-testid="follow-up-add"]').count()).toBe(0);

      // the overview: open and overdue, as the API counts them, with a link to the list
      const counts = await leader.get<{ open: number; overdue: number }>(`/api/follow-ups/counts?region=${REGION}&date=${DATE}`);
      expect(counts.overdue).toBeGreaterThanOrEqual(1);
      await page.goto(`${suite.base}/?region=${REGION}&date=${DATE}`);
      await page.waitForSelector('[data-testid="follow-ups-panel"][aria-busy="false"] [data-testid="follow-ups-open"]', { timeout: 120_000 });
      expect(await textOf(page, '[data-testid="follow-ups-open"]')).toBe(String(counts.open));
      expect(await textOf(page, '[data-testid="follow-ups-overdue"]')).toBe(String(counts.overdue));
      await page.click('[data-testid="follow-ups-panel-link"]');
      await page.waitForURL((url) => url.pathname === '/follow-ups' && url.searchParams.get('region') === REGION);
      await waitForView(page, 'follow-ups-page', 'follow-up-row');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 420_000);
});
