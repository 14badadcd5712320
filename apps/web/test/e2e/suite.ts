/**
 * What every browser test file does the same way: the server and Chromium for the file's tests (./server.ts),
 * a fresh browser context per test that records the page's uncaught errors, waiting for the overview, and
 * screenshots in test-artifacts/.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ARTIFACTS, launchBrowser, START_TIMEOUT_MS, startServer, type TestServer } from './server';

export interface OpenPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors in the page; a test expects none. */
  errors: string[];
}

export interface BrowserSuite {
  server: TestServer;
  base: string;
  browser: Browser;
  /** A page in a new context: 1280×800, zh-CN, unless `options` say otherwise. */
  open(options?: BrowserContextOptions): Promise<OpenPage>;
}

/**
 * Starts the server (with `env`) and Chromium before the file's tests, and stops both after them. Call it
 * in the describe block; the fields are there once the tests run.
 */
export function useBrowserSuite(env: Record<string, string> = {}): BrowserSuite {
  const suite = {
    async open(options: BrowserContextOptions = {}): Promise<OpenPage> {
      const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', ...options });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      return { context, page, errors };
    },
  } as BrowserSuite;

  beforeAll(async () => {
    suite.server = await startServer(env);
    suite.base = suite.server.base;
    suite.browser = await launchBrowser();
  }, START_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  }, 30_000);

  return suite;
}

/** The overview of `region` has loaded (nothing still updating) and `ready`, what the test reads next, is on screen. */
export async function waitForOverview(page: Page, region: string, ready = '[data-testid="drug-cumulative"]'): Promise<void> {
  await page.waitForSelector(`[data-testid="overview-page"][data-region="${region}"][aria-busy="false"]`, { timeout: 30_000 });
  await page.waitForSelector(ready, { timeout: 30_000 });
}

/** The trimmed text of the first element matching `selector`. */
export async function textOf(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').trim();
}

/** A full-page screenshot, test-artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
