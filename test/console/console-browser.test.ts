import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { LocalCluster, REPO_ROOT } from '@app/cluster';
import { countDuplicates } from '@app/order-numbers';
import { postOrders } from '../cluster/support/order-load';
import { issuedNumbers } from '../support/http';
import { launchTestCluster, TestCluster } from '../cluster/support/test-cluster';
import { launchBrowser } from '../support/browser';

// The console in a real headless Chromium against a real local cluster from dist/ (three
// replicas on the unguarded `none` strategy, so that the duplicates show), as a person would use it.

jest.setTimeout(240_000);

const SCREENSHOTS = join(REPO_ROOT, 'test-results');
const SESSION_TIMEOUT_MS = 4000;
/** Long enough for a snapshot a second and a ZooKeeper session to expire after SIGKILL. */
const UI_WAIT_MS = SESSION_TIMEOUT_MS + 10_000;

let testCluster: TestCluster | undefined;
let cluster: LocalCluster;
let browser: Browser | undefined;
let page: Page;
const consoleErrors: string[] = [];

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `console-${name}.png`), fullPage: true });
}

function rows(): Promise<string[]> {
  return page.locator('#replica-rows tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-replica') ?? ''));
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchBrowser();
  testCluster = await launchTestCluster('console', 3, { ORDER_STRATEGY: 'none', ZK_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS), LOG_LEVEL: 'warn' });
  cluster = testCluster.cluster;
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(cluster.gatewayUrl);
});

afterAll(async () => {
  await browser?.close();
  await testCluster?.stop();
});

describe('the console in a headless browser', () => {
  it('shows the three replicas and the master, live', async () => {
    await page.waitForFunction(() => document.querySelectorAll('#replica-rows tr').length === 3, undefined, { timeout: UI_WAIT_MS });
    expect(await rows()).toEqual(['order-1', 'order-2', 'order-3']);
    await page.locator('#master b').waitFor({ timeout: UI_WAIT_MS });
    expect(await page.locator('#master b').textContent()).toMatch(/^order-[123]$/);
    await page.waitForFunction(() => /^none$/.test(document.querySelector('#replica-rows tr td:nth-child(3)')?.textContent ?? ''), undefined, { timeout: UI_WAIT_MS });
    // No pool is filled under `none`: every business line of the config shows an empty one.
    await page.waitForFunction(() => document.querySelectorAll('#pools li').length === 4, undefined, { timeout: UI_WAIT_MS });
    expect(await page.locator('#pools li').allTextContents()).toEqual(['1001: 0', '2001: 0', '3001: 0', '4001: 0']);
    expect(consoleErrors).toEqual([]);
    await screenshot('cluster');
  });

  it('expands /ordernum in the tree browser and shows a node with its stat', async () => {
    await page.locator('li[data-path="/ordernum"] > button.toggle').click();
    await page.locator('li[data-path="/ordernum/config"] > button.toggle').click();
    await page.locator('li[data-path="/ordernum/config/order-service"] > a.name').click();
    await page.locator('#node-stat tr[data-field="mzxid"]').waitFor({ timeout: UI_WAIT_MS });
    expect(await page.locator('#node-path').textContent()).toBe('/ordernum/config/order-service');
    expect(JSON.parse((await page.locator('#node-data').textContent()) ?? '')).toMatchObject({ strategy: 'none' });
    expect(await page.locator('#node-stat tr[data-field="czxid"] td').textContent()).toMatch(/^0x[0-9a-f]+$/);
    expect(await page.locator('#node-stat tr[data-field="ephemeralOwner"] td').textContent()).toBe('none');
    await screenshot('tree');
  });

  it('creates a node, and a set with its version changes it, seen through the live watch', async () => {
    const path = '/ordernum/console-test';
    await page.locator('#create-path').fill(path);
    await page.locator('#create-data').fill('{"step":1}');
    await page.locator('#create-button').click();
    await page.waitForFunction((p) => document.querySelector('#node-path')?.textContent === p && document.querySelector('#node-data')?.textContent?.includes('"step": 1'), path, { timeout: UI_WAIT_MS });
    expect(await page.locator('#set-version').inputValue()).toBe('0');

    await page.locator('#set-data').fill('{"step":2}');
    await page.locator('#set-button').click();
    await page.waitForFunction(() => document.querySelector('#node-data')?.textContent?.includes('"step": 2'), undefined, { timeout: UI_WAIT_MS });
    expect(await page.locator('#node-stat tr[data-field="version"] td').textContent()).toBe('1');
    const stored = await (await fetch(`${cluster.gatewayUrl}/zookeeper/tree?path=${encodeURIComponent(path)}&depth=0`)).json();
    expect(stored).toMatchObject({ data: { step: 2 }, stat: { version: 1 } });

    // A stale version is refused and says so; the node keeps its data. Chromium logs the refused
    // request as a console error: the one error this test causes on purpose, taken out here.
    const errorsBefore = consoleErrors.length;
    await page.locator('#set-version').fill('0');
    await page.locator('#set-data').fill('{"step":3}');
    await page.locator('#set-button').click();
    await page.waitForFunction(() => document.querySelector('#write-result')?.textContent?.startsWith('409'), undefined, { timeout: UI_WAIT_MS });
    expect(await page.locator('#write-result').textContent()).toContain('version 0 is stale');
    await page.waitForFunction(() => true, undefined, { timeout: UI_WAIT_MS }); // one more round trip: the log event precedes it
    expect(consoleErrors.splice(errorsBefore)).toEqual([expect.stringContaining('409 (Conflict)')]);
    expect(await page.locator('#node-stat tr[data-field="version"] td').textContent()).toBe('1');
  });

  it('counts the duplicates of the unguarded strategy and decodes one of its numbers', async () => {
    const results = await postOrders(cluster.gatewayUrl, { concurrency: 32, total: 1000 });
    const repeats = countDuplicates(issuedNumbers(results)).duplicates;
    expect(repeats).toBeGreaterThan(0);
    await page.waitForFunction((n) => document.querySelector('.dup[data-strategy="none"]')?.textContent?.trim() === `none: ${n}`, repeats, { timeout: UI_WAIT_MS });

    const issued = String(results.find((result) => result.status === 201)?.body.orderNumber);
    await page.locator('#decode-input').fill(issued);
    await page.locator('#decode-form button').click();
    await page.locator('#decode-result table').waitFor({ timeout: UI_WAIT_MS });
    const text = (await page.locator('#decode-result').textContent()) ?? '';
    expect(text).toContain(`business line${issued.slice(17, 21)}`);
    expect(text).toContain(`suffix as a ledger sequence${Number(issued.slice(21))}`);
    expect(text).toContain(`worker ${issued.slice(21, 23)}, sequence ${Number(issued.slice(23))}`);
    await screenshot('traffic');
  });

  it('drops a killed replica from the live view within seconds', async () => {
    await cluster.killReplica('order-2', 'SIGKILL');
    await page.waitForFunction(() => document.querySelectorAll('#replica-rows tr').length === 2, undefined, { timeout: UI_WAIT_MS });
    expect(await rows()).toEqual(['order-1', 'order-3']);
    await screenshot('after-kill');
  });

  it('logged no other error in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
