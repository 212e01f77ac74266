#!/usr/bin/env node
// HTML report benchmark: a 10,000-finding report (a world-writable scan on a messy host), rendered by
// the built renderer (dist/report/html.js), opened in headless Chromium from a file:// URL.
// Measures render time, page load (navigation start → load event) and one filter click (click →
// next frame), and checks load + filter against the 2 s target.
//
//   npm run build && node bench/html-report.mjs
//   BENCH_FINDINGS=20000 BENCH_RUNS=3 node bench/html-report.mjs
//
// Prints a table and one JSON line (prefix "html-report:") for bench/run.mjs to pick up.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_MS = 2000;
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const { renderHtml } = await import(pathToFileURL(join(REPO, 'dist', 'report', 'html.js')).href).catch((e) => {
  console.error(`bench/html-report: cannot load dist/report/html.js (run npm run build first): ${e.message}`);
  process.exit(2);
});
const { REQUIREMENTS } = await import(pathToFileURL(join(REPO, 'dist', 'catalog', 'requirements.js')).href);
const { chromium } = await import('playwright-core');

const STATUSES = ['pass', 'fail', 'warn', 'na', 'unknown', 'manual', 'waived'];

function buildReport(n) {
  const results = REQUIREMENTS.filter((r) => r.profile === 'guide').map((spec, i) => {
    const status = spec.id === 'fs.no-world-writable' ? 'fail' : STATUSES[i % STATUSES.length];
    const findings =
      spec.id === 'fs.no-world-writable'
        ? Array.from({ length: n }, (_, k) => ({
            message: `world-writable file, mode 0666, uid ${1000 + (k % 50)}`,
            path: `/srv/data/d${Math.floor(k / 100)}/file-${k}.tmp`,
            line: null,
            command: null,
            excerpt: null,
          }))
        : [{ message: `observed value ${i}`, path: `/etc/example/${i}.conf`, line: i + 1, command: null, excerpt: `Option${i} value` }];
    return {
      id: spec.id,
      section: spec.section,
      title: spec.title,
      severity: spec.severity,
      kind: spec.kind,
      status,
      summary: spec.id === 'fs.no-world-writable' ? `${n} world-writable entries` : `observed ${status}`,
      findings,
      remediation: `Remediation for ${spec.id}`,
      controls: spec.controls,
      ...(status === 'waived' ? { waiver: { reason: 'bench', approvedBy: null, expires: null, state: 'active', source: null } } : {}),
    };
  });
  const summary = Object.fromEntries(STATUSES.map((s) => [s, results.filter((r) => r.status === s).length]));
  return {
    schemaVersion: 1,
    tool: { name: 'rampart', version: 'bench' },
    target: { kind: 'local', name: 'bench-host', root: '/' },
    profile: 'guide',
    live: true,
    startedAt: new Date().toISOString(),
    collectedAt: new Date().toISOString(),
    durationMs: 0,
    results,
    summary,
    score: { beforeWaivers: 50, afterWaivers: 55 },
    trend: Array.from({ length: 10 }, (_, i) => ({
      runId: `run-${i}`,
      startedAt: new Date(Date.now() - (10 - i) * 86400e3).toISOString(),
      score: 40 + i,
      summary,
    })),
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const report = buildReport(FINDINGS);
const renders = [];
let html = '';
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  html = renderHtml(report);
  renders.push(performance.now() - t0);
}
const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-html-'));
const file = join(dir, 'report.html');
writeFileSync(file, html);

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
const loads = [];
const filters = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const load = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return nav.loadEventEnd - nav.startTime;
    });
    const filter = await page.evaluate(async () => {
      const button = document.querySelector('#filters button[data-filter="status"][data-value="fail"]');
      const t0 = performance.now();
      button.click();
      await new Promise((r) => globalThis.requestAnimationFrame(() => setTimeout(r, 0)));
      const hidden = document.querySelectorAll('article.req[data-status="fail"]:not([hidden])').length === 0;
      return { ms: performance.now() - t0, hidden };
    });
    if (!filter.hidden) throw new Error('the filter click did not hide the failing requirements');
    loads.push(load);
    filters.push(filter.ms);
    await page.close();
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}

const result = {
  findings: FINDINGS,
  runs: RUNS,
  htmlBytes: Buffer.byteLength(html),
  renderMs: median(renders),
  loadMs: median(loads),
  filterMs: median(filters),
};
result.loadPlusFilterMs = result.loadMs + result.filterMs;
result.status = result.loadPlusFilterMs < TARGET_MS ? 'PASS' : 'MISS';
const f = (ms) => `${ms.toFixed(1)} ms`;
console.log(`HTML report, ${FINDINGS.toLocaleString('en-US')} findings, ${(result.htmlBytes / 1e6).toFixed(2)} MB, median of ${RUNS}`);
console.log(`  render (node, dist/report/html.js)   ${f(result.renderMs)}`);
console.log(`  Chromium load (navigation → load)    ${f(result.loadMs)}`);
console.log(`  filter click (click → next frame)    ${f(result.filterMs)}`);
console.log(`  load + filter                        ${f(result.loadPlusFilterMs)}  target < ${TARGET_MS} ms: ${result.status}`);
console.log(`html-report: ${JSON.stringify(result)}`);
process.exit(result.status === 'PASS' ? 0 : 1);
