// The HTML report in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderHtml } from '../../src/report/html.js';
import { requireCommands } from '../helpers.js';
import { fixtureReport, XSS_FLAG_NAME, XSS_NAME } from './fixture.js';

const REPO = join(import.meta.dirname, '..', '..');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function openReport(
  t: import('node:test').TestContext,
  html: string,
): Promise<{ page: Page; browser: Browser; problems: string[]; dialogs: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-html-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  t.after(async () => {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) problems.push(`request: ${r.url()}`);
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, browser, problems, dialogs };
}

const visible = (page: Page, status: string) => page.locator(`article.req[data-status="${status}"]:visible`).count();

test('HTML report in Chromium: counts, filters, escaping, no network, screenshot', async (t) => {
  if (!requireCommands(t, 'chromium')) return;
  const report = fixtureReport();
  const { page, problems, dialogs } = await openReport(t, renderHtml(report));

  await t.test('the DOM shows the right count per status, and as many requirement rows', async () => {
    for (const [status, n] of Object.entries(report.summary)) {
      assert.equal(await page.locator(`[data-count="${status}"]`).textContent(), String(n), status);
      assert.equal(await visible(page, status), n, status);
    }
    assert.equal(await page.locator('#shown').textContent(), `${report.results.length} of ${report.results.length} requirements shown`);
  });

  await t.test('status toggles hide and show exactly their rows', async () => {
    await page.click('#filters button[data-filter="status"][data-value="fail"]');
    assert.equal(await visible(page, 'fail'), 0);
    assert.equal(await visible(page, 'pass'), report.summary.pass);
    assert.equal(await visible(page, 'warn'), report.summary.warn);
    assert.equal(
      await page.locator('#shown').textContent(),
      `${report.results.length - report.summary.fail} of ${report.results.length} requirements shown`,
    );
    assert.equal(await page.getAttribute('#filters button[data-value="fail"]', 'aria-pressed'), 'false');
    await page.click('#filters button[data-filter="status"][data-value="fail"]');
    assert.equal(await visible(page, 'fail'), report.summary.fail);
  });

  await t.test('severity toggles combine with status; a section with nothing left is hidden', async () => {
    const critical = report.results.filter((r) => r.severity === 'critical').length;
    await page.click('#filters button[data-filter="severity"][data-value="critical"]');
    assert.equal(await page.locator('article.req[data-severity="critical"]:visible').count(), 0);
    assert.equal(await page.locator('article.req:visible').count(), report.results.length - critical);
    await page.click('#filters button[data-filter="severity"][data-value="high"]');
    await page.click('#filters button[data-filter="severity"][data-value="medium"]');
    // 3.2 SSH hardening holds one critical and one medium requirement: nothing left → hidden
    assert.equal(await page.locator('section.sec[data-section="3.2"]').isVisible(), false);
    await page.click('#filters button[data-preset="all"]');
    assert.equal(await page.locator('article.req:visible').count(), report.results.length);
    assert.equal(await page.locator('section.sec[data-section="3.2"]').isVisible(), true);
  });

  await t.test('"Problems only" shows fail, warn and unknown', async () => {
    await page.click('#filters button[data-preset="problems"]');
    const shown = await Promise.all((await page.locator('article.req:visible').all()).map((l) => l.getAttribute('data-status')));
    assert.deepEqual([...new Set(shown)].sort(), ['fail', 'unknown', 'warn']);
    assert.equal(shown.length, report.summary.fail + report.summary.warn + report.summary.unknown);
    await page.click('#filters button[data-preset="all"]');
  });

  await t.test('the malicious file names did not run and show literally', async () => {
    assert.equal(await page.evaluate('typeof window.__rampartPwned'), 'undefined');
    assert.deepEqual(dialogs, []);
    assert.equal(await page.locator('img').count(), 0);
    const locs = await page.locator('article.req[data-status="fail"] code.loc').allTextContents();
    assert.ok(locs.includes(`/srv/www/${XSS_NAME}`), locs.join('\n'));
    assert.ok(locs.includes(`/srv/www/${XSS_FLAG_NAME}`));
    assert.ok(locs.includes('/app/uploads/evil\\nname.txt'));
  });

  await t.test('no script error, no CSP violation, no request beyond the file itself', () => {
    assert.deepEqual(problems, []);
  });

  await t.test('print media hides the filter bar and keeps every requirement', async () => {
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('#filters').isVisible(), false);
    assert.equal(await page.locator('article.req:visible').count(), report.results.length);
    await page.emulateMedia({ media: 'screen' });
    assert.equal(await page.locator('#filters').isVisible(), true);
  });

  await t.test('screenshots', async () => {
    mkdirSync(join(REPO, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(REPO, 'test-artifacts', 'report.png'), fullPage: true });
    if (process.env.UPDATE_SCREENSHOT === '1') {
      await page.setViewportSize({ width: 1200, height: 820 });
      await page.screenshot({ path: join(REPO, 'docs', 'report-screenshot.png') });
    }
  });
});
