import type { Browser, Page } from 'playwright-core';
import { launchTestCluster, TestCluster } from '../cluster/support/test-cluster';
import { launchBrowser } from '../support/browser';

// The console's operator-token field in a real headless Chromium, against a local cluster from
// dist/ whose gateway got ADMIN_TOKEN from the launcher's environment (as `ADMIN_TOKEN=… npm run
// cluster` passes it on): writes are refused until the token is typed, then go through.

jest.setTimeout(180_000);

const TOKEN = 'console-token-suite-0123456789';
const UI_WAIT_MS = 15_000;
let testCluster: TestCluster | undefined;
let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  testCluster = await launchTestCluster('console-token', 1, { ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'warn' });
  page = await browser.newPage();
  await page.goto(testCluster.cluster.gatewayUrl);
  await page.locator('li[data-path="/ordernum"]').waitFor({ timeout: UI_WAIT_MS });
});

afterAll(async () => {
  await browser?.close();
  await testCluster?.stop();
});

async function create(path: string, data: string): Promise<void> {
  await page.locator('#create-path').fill(path);
  await page.locator('#create-data').fill(data);
  await page.locator('#create-button').click();
}

describe('the console with ADMIN_TOKEN set on the gateway', () => {
  it('refuses a write without the token and says why', async () => {
    await create('/ordernum/token-test', 'refused');
    await page.waitForFunction(() => document.querySelector('#write-result')?.textContent?.startsWith('401'), undefined, { timeout: UI_WAIT_MS });
    expect(await page.locator('#write-result').textContent()).toContain('needs the operator token');
  });

  it('writes with the token typed into the header field, and watches the node with it', async () => {
    await page.locator('#admin-token').fill(TOKEN);
    await create('/ordernum/token-test', '{"by":"console"}');
    await page.waitForFunction(() => document.querySelector('#write-result')?.textContent?.startsWith('created'), undefined, { timeout: UI_WAIT_MS });
    await page.waitForFunction(() => document.querySelector('#node-data')?.textContent?.includes('"by": "console"'), undefined, { timeout: UI_WAIT_MS });
    expect(await page.evaluate(() => sessionStorage.getItem('ordernum.adminToken'))).toBe(TOKEN);
  });

  it('keeps the token for the tab across a reload, never in localStorage', async () => {
    await page.reload();
    await page.locator('#admin-token').waitFor({ timeout: UI_WAIT_MS });
    expect(await page.locator('#admin-token').inputValue()).toBe(TOKEN);
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
  });
});
