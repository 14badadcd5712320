/**
 * Browser test of sign-in and roles against the real server (./server.ts: `scripts/start.ts` on a free port,
 * a fresh DATA_DIR, demo mode, VBP_ADMIN_PASSWORD set). Each role signs in through the login page and
 * the test checks what it sees: the administrator's pages (users, audit log) and a user created there;
 * the procurement office's target editing for 江苏 only, recorded in the audit log; read-only clerk and
 * leader; the 403 page; a refused sign-in; a lost session; signing out. Screenshots go to test-artifacts/.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Overview, TargetList } from '@vbp/contracts/api';
import type { UserList } from '@vbp/contracts/auth';
import { apiSignIn, DEMO_PASSWORD, HAS_CHROMIUM, horizontalOverflow, signIn } from './server';
import { screenshot, useBrowserSuite, waitForOverview } from './suite';

// The roles differ in what the targets panel offers: it is what these tests read first on the overview.
const TARGETS = '[data-testid="targets-panel"] table';
const ADMIN_PASSWORD = `e2e-admin-${Math.random().toString(36).slice(2, 10)}`;
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

describe.skipIf(!HAS_CHROMIUM)('sign-in and roles in a browser', () => {
  const suite = useBrowserSuite({ VBP_ADMIN_PASSWORD: ADMIN_PASSWORD });
  const count = (page: Page, selector: string) => page.locator(selector).count();
  const shot = (page: Page, name: string) => screenshot(page, `roles-${name}`);

  it('sends visitors to the sign-in page, lists the demo accounts, and says why a sign-in failed', async () => {
    const { context, page, errors } = await suite.open();
    try {
      await page.goto(`${suite.base}/admin/audit?actor=admin`);
      await page.waitForSelector('[data-testid="login-page"]');
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/audit?actor=admin');

      // Demo mode (GET /api/health says so): the accounts and their password, one click to fill the form.
      await page.waitForSelector('[data-testid="demo-notice"]');
      expect(await page.textContent('[data-testid="demo-password"]')).toBe(DEMO_PASSWORD);
      await page.click('[data-testid="demo-use-jiangsu-clerk"]');
      expect(await page.inputValue('[data-testid="login-username"]')).toBe('jiangsu-clerk');

      // A wrong password: the API's message, the same one an unknown name gets.
      const refused = await fetch(`${suite.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `nobody-${unique()}`, password: 'whatever-it-is' }),
      });
      expect(refused.status).toBe(401);
      const body = (await refused.json()) as { error: { code: string; messageZh: string } };
      await page.fill('[data-testid="login-password"]', 'not-the-password');
      await page.click('[data-testid="login-submit"]');
      await page.waitForSelector('[data-testid="login-error"]');
      expect((await page.textContent('[data-testid="login-error"] [data-testid="error-message"]'))?.trim()).toBe(body.error.messageZh);
      expect(await page.inputValue('[data-testid="login-password"]')).toBe('');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('login-password');
      await shot(page, 'login-error');

      // Signed in, the user goes where they were headed: a page their role may not open.
      await page.fill('[data-testid="login-password"]', DEMO_PASSWORD);
      await page.click('[data-testid="login-submit"]');
      await page.waitForURL((url) => url.pathname === '/admin/audit');
      await page.waitForSelector('[data-testid="forbidden"]');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('admin: sees 用户管理 and 审计日志, creates a user who signs in, must change the password, and is signed out when disabled', async () => {
    const admin = await suite.open();
    const username = `e2e-${unique()}`;
    try {
      const { page } = admin;
      await signIn(page, suite.base, 'admin', ADMIN_PASSWORD);
      await waitForOverview(page, '100000', TARGETS);
      expect((await page.textContent('[data-testid="nav-users"]'))?.trim()).toBe('用户管理');
      expect((await page.textContent('[data-testid="nav-audit"]'))?.trim()).toBe('审计日志');
      expect(await page.getAttribute('[data-testid="user-menu"]', 'data-role')).toBe('admin');
      // A national administrator may set targets for the nation.
      expect(await count(page, '[data-testid="add-target"]')).toBe(1);

      await page.click('[data-testid="nav-users"]');
      await page.waitForSelector('[data-testid="users-panel"] table');
      expect(await count(page, '[data-testid="user-row-jiangsu-office"]')).toBe(1);

      // Create a procurement-office account for 江苏.
      await page.click('[data-testid="create-user"]');
      await page.waitForSelector('[data-testid="user-form"]');
      await page.fill('[data-testid="user-username"]', username);
      await page.fill('[data-testid="user-display-name"]', '测试集采办');
      await page.selectOption('[data-testid="user-role"]', 'office');
      await page.selectOption('[data-testid="user-region"]', '320000');
      expect((await page.inputValue('[data-testid="user-password"]')).length).toBeGreaterThanOrEqual(10);
      await page.click('[data-testid="user-save"]');
      await page.waitForSelector('[data-testid="user-form"]', { state: 'detached' });
      const row = page.locator(`[data-testid="user-row-${username}"]`);
      await row.waitFor();
      expect(await row.locator('[data-testid="user-must-change"]').count()).toBe(1);
      await shot(page, 'admin-users');

      // Reset the password: the dialog says the user must change it at next sign-in.
      await row.locator('[data-testid="reset-user-password"]').click();
      await page.click('[data-testid="reset-password-submit"]');
      await page.waitForSelector('[data-testid="reset-done"]');
      expect(await page.textContent('[data-testid="reset-done"]')).toContain('下次登录时必须修改密码');
      const temporary = ((await page.textContent('[data-testid="reset-password-value"]')) ?? '').trim();
      expect(temporary.length).toBeGreaterThanOrEqual(10);
      await page.keyboard.press('Escape');

      // The new user signs in and is held at the change-password form until they choose a password.
      const user = await suite.open();
      try {
        await signIn(user.page, suite.base, username, temporary);
        await user.page.waitForSelector('[data-testid="change-password-page"][data-forced="true"]');
        await user.page.goto(`${suite.base}/?region=320000`);
        await user.page.waitForSelector('[data-testid="must-change-notice"]');
        const newPassword = `e2e-new-${unique()}`;
        await user.page.fill('[data-testid="current-password"]', temporary);
        await user.page.fill('[data-testid="new-password"]', newPassword);
        await user.page.fill('[data-testid="confirm-password"]', `${newPassword}-typo`);
        await user.page.click('[data-testid="change-password-submit"]');
        await user.page.waitForSelector('[data-testid="field-error"]');
        await user.page.fill('[data-testid="confirm-password"]', newPassword);
        await user.page.click('[data-testid="change-password-submit"]');
        await waitForOverview(user.page, '320000', TARGETS);
        expect(new URL(user.page.url()).searchParams.get('region')).toBe('320000');
        expect((await user.page.textContent('[data-testid="session-user-name"]'))?.trim()).toBe('测试集采办');
        expect(await count(user.page, '[data-testid="add-target"]')).toBe(1);
        await shot(user.page, 'new-user-overview');

        // The administrator disables the account: the user's next request answers 401 and the app
        // sends them to the sign-in page, remembering where they were.
        const api = await apiSignIn(suite.base, 'admin', ADMIN_PASSWORD);
        const listed = await api.get<UserList>(`/api/users?q=${username}`);
        const id = listed.items.find((u) => u.username === username)?.id;
        expect(id).toBeDefined();
        const disabled = await api.fetch(`/api/users/${id}`, { method: 'PATCH', body: JSON.stringify({ disabled: true }) });
        expect(disabled.status).toBe(200);
        await user.page.selectOption('[data-testid="region-select"]', '100000');
        await user.page.waitForURL((url) => url.pathname === '/login', { timeout: 30_000 });
        expect(new URL(user.page.url()).searchParams.get('next')).toBe('/?region=100000');
        expect(await count(user.page, '[data-testid="overview-page"]')).toBe(0);
      } finally {
        await user.context.close();
      }

      // The administrator's list shows the account disabled.
      await page.reload();
      await page.locator(`[data-testid="user-row-${username}"] [data-testid="user-status"]`).waitFor();
      await page.waitForFunction((name) => document.querySelector(`[data-testid="user-row-${name}"] [data-testid="user-status"]`)?.textContent === '已停用', username);
      expect(admin.errors).toEqual([]);
    } finally {
      await admin.context.close();
    }
  });

  it('office: edits targets for 江苏 only, and each change shows in the audit log and its export', async () => {
    const { context, page, errors } = await suite.open({ acceptDownloads: true });
    const api = await apiSignIn(suite.base, 'jiangsu-office', DEMO_PASSWORD);
    const note = `e2e ${unique()}`;
    try {
      await signIn(page, suite.base, 'jiangsu-office', DEMO_PASSWORD);
      // Without a region in the URL a provincial user starts on their own province.
      await waitForOverview(page, '320000', TARGETS);
      const options = await page.$$eval('[data-testid="region-select"] option:not([disabled])', (os) => os.map((o) => (o as HTMLOptionElement).value));
      expect(options).toEqual(['100000', '320000']);
      expect(await count(page, '[data-testid="nav-users"]')).toBe(0);
      expect(await count(page, '[data-testid="nav-audit"]')).toBe(1);

      // Edit controls on 江苏's own targets, none on the national ones shown beside them.
      const jiangsu = await api.get<Overview>('/api/overview?region=320000');
      const own = jiangsu.targets.filter((t) => t.ownerRegionCode === '320000');
      expect(own.length).toBeGreaterThan(0);
      expect(await count(page, '[data-testid="edit-target"]')).toBe(own.length);
      for (const t of jiangsu.targets.filter((x) => x.ownerRegionCode !== '320000')) {
        expect(await page.locator(`[data-testid="target-${t.code}"] [data-testid="edit-target"]`).count()).toBe(0);
      }

      // Add a target: the form says what is missing, beside each field.
      await page.click('[data-testid="add-target"]');
      await page.waitForSelector('[data-testid="target-form"]');
      await page.click('[data-testid="target-save"]');
      await page.waitForSelector('[data-testid="field-error"]');
      expect(await count(page, '[data-testid="target-form"] [data-testid="field-error"]')).toBeGreaterThanOrEqual(5);
      await page.selectOption('[data-testid="target-product-type"]', 'consumable');
      await page.selectOption('[data-testid="target-unit"]', 'category');
      await page.fill('[data-testid="target-count"]', '7');
      await page.fill('[data-testid="target-due-on"]', '2027-06-30');
      await page.check('[data-testid="target-due-assumed"]');
      await page.fill('[data-testid="target-due-note"]', '文件未写明截止日期，按“十五五”中期推定。');
      await page.fill('[data-testid="target-document-code"]', 'JS-2024-10-28-notice');
      await page.fill('[data-testid="target-clause"]', '一(三)');
      await page.fill('[data-testid="target-set-on"]', '2024-10-28');
      await page.fill('[data-testid="target-note"]', note);
      await shot(page, 'office-target-form');
      await page.click('[data-testid="target-save"]');
      await page.waitForSelector('[data-testid="target-form"]', { state: 'detached', timeout: 30_000 });

      const created = (await api.get<TargetList>('/api/targets?region=320000')).items.find((t) => t.note === note);
      expect(created).toBeDefined();
      const row = page.locator(`[data-testid="target-${created!.code}"]`);
      await row.waitFor({ timeout: 30_000 });
      expect(await row.locator('th').textContent()).toContain('≥ 7类');
      expect(await row.locator('[data-testid="due-assumed"]').count()).toBe(1);
      await shot(page, 'office-target-added');

      // Change it.
      await row.locator('[data-testid="edit-target"]').click();
      await page.waitForSelector('[data-testid="target-form"]');
      expect(await page.inputValue('[data-testid="target-count"]')).toBe('7');
      await page.fill('[data-testid="target-count"]', '8');
      await page.click('[data-testid="target-save"]');
      await page.waitForSelector('[data-testid="target-form"]', { state: 'detached', timeout: 30_000 });
      await page.waitForFunction((code) => document.querySelector(`[data-testid="target-${code}"] th`)?.textContent?.includes('≥ 8类'), created!.code, { timeout: 30_000 });

      // The audit log (this office's region only) has the change, before and after.
      await page.click('[data-testid="nav-audit"]');
      await page.waitForSelector('[data-testid="audit-row"]');
      expect(await count(page, '[data-testid="audit-filter-region"]')).toBe(0);
      const update = page.locator('[data-testid="audit-row"][data-action="update"][data-entity="target"]').first();
      await update.locator('[data-testid="audit-expand"]').click();
      const diff = page.locator('[data-testid="audit-diff"]').first();
      await diff.waitFor();
      const countChange = diff.locator('tr', { hasText: 'count' });
      expect(await countChange.locator('.audit-diff__before').textContent()).toBe('7');
      expect(await countChange.locator('.audit-diff__after').textContent()).toBe('8');
      await shot(page, 'office-audit');

      // Filters live in the URL, and the export downloads what they select.
      await page.fill('[data-testid="audit-filter-action"]', 'create');
      await page.fill('[data-testid="audit-filter-entity"]', 'target');
      await page.click('[data-testid="audit-apply"]');
      await page.waitForURL((url) => url.searchParams.get('action') === 'create' && url.searchParams.get('entity') === 'target');
      // the previous list stays on screen (marked busy) until the filtered one arrives
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
        return (
          document.querySelector('[data-testid="audit-panel"]')?.getAttribute('aria-busy') === 'false' &&
          rows.length > 0 &&
          rows.every((r) => r.getAttribute('data-action') === 'create' && r.getAttribute('data-entity') === 'target')
        );
      });
      expect(await page.getAttribute('[data-testid="audit-export"]', 'href')).toBe('/api/audit/export.csv?action=create&entity=target');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="audit-export"]')]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      const csv = await readFile((await download.path())!, 'utf8');
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      expect(csv).toContain(note);

      // Delete it, after a confirmation.
      await page.click('[data-testid="nav-overview"]');
      await waitForOverview(page, '320000', TARGETS);
      await page.locator(`[data-testid="target-${created!.code}"] [data-testid="delete-target"]`).click();
      await page.waitForSelector('[data-testid="delete-target-dialog"]');
      await page.click('[data-testid="delete-target-dialog"] [data-testid="confirm-button"]');
      await page.locator(`[data-testid="target-${created!.code}"]`).waitFor({ state: 'detached', timeout: 30_000 });

      // 全国: readable, but national targets are not the office's to change.
      await page.selectOption('[data-testid="region-select"]', '100000');
      await waitForOverview(page, '100000', TARGETS);
      expect(await count(page, '[data-testid="add-target"]')).toBe(0);
      expect(await count(page, '[data-testid="edit-target"]')).toBe(0);

      // 北京: not offered, and typed into the URL the API refuses it (nothing to edit either).
      await page.goto(`${suite.base}/?region=110000`);
      await page.waitForSelector('[data-testid="region-forbidden"] [data-testid="error-message"]', { timeout: 30_000 });
      const refused = await api.fetch('/api/overview?region=110000');
      expect(refused.status).toBe(403);
      const body = (await refused.json()) as { error: { messageZh: string } };
      expect((await page.textContent('[data-testid="region-forbidden"] [data-testid="error-message"]'))?.trim()).toBe(body.error.messageZh);
      expect(await count(page, '[data-testid="add-target"]')).toBe(0);
      expect(await count(page, '[data-testid="edit-target"]')).toBe(0);
      expect(await page.$$eval('[data-testid="region-select"] option:not([disabled])', (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['100000', '320000']);
      await shot(page, 'office-beijing-403');
      // …and offers the way back to the office's own province.
      await page.click('[data-testid="region-forbidden"] button');
      await waitForOverview(page, '320000', TARGETS);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('clerk and leader: no edit controls, no admin pages; /admin/users typed by a leader is a 403 page', async () => {
    const clerk = await suite.open();
    try {
      await signIn(clerk.page, suite.base, 'jiangsu-clerk', DEMO_PASSWORD);
      await waitForOverview(clerk.page, '320000', TARGETS);
      expect(await clerk.page.getAttribute('[data-testid="user-menu"]', 'data-role')).toBe('clerk');
      for (const selector of ['add-target', 'edit-target', 'delete-target', 'nav-users', 'nav-audit']) {
        expect(await count(clerk.page, `[data-testid="${selector}"]`), selector).toBe(0);
      }
      await shot(clerk.page, 'clerk-overview');
    } finally {
      await clerk.context.close();
    }

    const leader = await suite.open();
    try {
      await signIn(leader.page, suite.base, 'national-leader', DEMO_PASSWORD);
      await waitForOverview(leader.page, '100000', TARGETS);
      expect((await leader.page.textContent('[data-testid="session-user-role"]'))?.trim()).toBe('局领导（只读） · 全国');
      // Every region is readable for a national user, and none is editable for a leader.
      expect(await leader.page.locator('[data-testid="region-select"] option').count()).toBeGreaterThan(30);
      await leader.page.selectOption('[data-testid="region-select"]', '320000');
      await waitForOverview(leader.page, '320000', TARGETS);
      for (const selector of ['add-target', 'edit-target', 'delete-target', 'nav-users', 'nav-audit']) {
        expect(await count(leader.page, `[data-testid="${selector}"]`), selector).toBe(0);
      }
      await leader.page.goto(`${suite.base}/admin/users`);
      await leader.page.waitForSelector('[data-testid="forbidden"]');
      expect(await leader.page.textContent('[data-testid="forbidden"] h1')).toContain('403');
      expect(await count(leader.page, '[data-testid="users-page"]')).toBe(0);
      await shot(leader.page, 'leader-403');
      await leader.page.goto(`${suite.base}/admin/audit`);
      await leader.page.waitForSelector('[data-testid="forbidden"]');
      expect(leader.errors).toEqual([]);
    } finally {
      await leader.context.close();
    }
  });

  it('signing out returns to /login, and the back button shows no data', async () => {
    const { context, page } = await suite.open();
    try {
      await signIn(page, suite.base, 'jiangsu-clerk', DEMO_PASSWORD, '/?region=320000');
      await waitForOverview(page, '320000', TARGETS);
      await page.waitForSelector('[data-testid="drug-cumulative"]');
      await page.click('[data-testid="sign-out"]');
      await page.waitForURL((url) => url.pathname === '/login');
      await page.waitForSelector('[data-testid="login-page"]');
      await page.goBack();
      await page.waitForTimeout(1000);
      await page.waitForSelector('[data-testid="login-page"]');
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await count(page, '[data-testid="overview-page"]')).toBe(0);
      expect(await count(page, '[data-testid="drug-cumulative"]')).toBe(0);
      // The session is gone on the server too.
      expect(await page.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
    } finally {
      await context.close();
    }
  });

  it('works at phone width (390×844): sign-in, users and audit pages without sideways scrolling; English', async () => {
    const { context, page, errors } = await suite.open({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      await page.goto(`${suite.base}/login`);
      await page.waitForSelector('[data-testid="demo-notice"]');
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await shot(page, 'login-390x844');

      await signIn(page, suite.base, 'admin', ADMIN_PASSWORD, '/admin/users');
      await page.waitForSelector('[data-testid="users-panel"] table');
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await shot(page, 'users-390x844');

      await page.click('[data-testid="lang-en"]');
      await page.waitForSelector('html[lang="en"]');
      expect((await page.textContent('[data-testid="users-page"] h1'))?.trim()).toBe('Users');
      expect((await page.textContent('[data-testid="nav-audit"]'))?.trim()).toBe('Audit log');

      await page.click('[data-testid="nav-audit"]');
      await page.waitForSelector('[data-testid="audit-row"]');
      await page.locator('[data-testid="audit-expand"]').first().click();
      await page.waitForSelector('[data-testid="audit-diff"]');
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await shot(page, 'audit-390x844-en');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
