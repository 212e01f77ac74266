import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtml } from '../../src/report/html.js';
import { bigReport, finding, fixtureReport, reportOf, result, XSS_FLAG_NAME, XSS_NAME } from './fixture.js';

test('host strings are escaped in text and attributes: markup from a file name renders as text', () => {
  const html = renderHtml(fixtureReport());
  assert.ok(!html.includes(XSS_NAME), 'the raw <img> tag must not appear');
  assert.ok(!html.includes(XSS_FLAG_NAME));
  assert.ok(html.includes('/srv/www/&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(html.includes('&lt;img src=x onerror=&quot;window.__rampartPwned=1&quot;&gt;'));
  assert.ok(html.includes('/app/uploads/evil\\nname.txt'), 'a newline in a name is shown as \\n');
  // a waiver reason with markup, in a table cell
  assert.ok(html.includes('Legacy host, decommissioned in Q1 &lt;b&gt;2027&lt;/b&gt;'));
  assert.equal((html.match(/<img/g) ?? []).length, 0);
});

test('an attribute value cannot be broken out of', () => {
  const id = 'x" onmouseover="alert(1)';
  const r = { ...result('fs.no-world-writable', 'fail', 's'), section: `2.3"><script>alert(1)</script>`, id };
  const html = renderHtml(reportOf([r]));
  assert.ok(!html.includes('onmouseover="alert(1)"'));
  assert.ok(!html.includes('<script>alert(1)'));
  assert.ok(html.includes('id="req-x&quot; onmouseover=&quot;alert(1)"'));
});

test('self-contained: no external URL, stylesheet or script file; a CSP forbids loads and allows only the inline script', () => {
  const html = renderHtml(fixtureReport());
  assert.doesNotMatch(html, /<link\b|<script\s+src|<img\b|<iframe\b|@import|url\(/i);
  assert.doesNotMatch(html, /(src|href)\s*=\s*["']?(https?:)?\/\//i);
  assert.match(
    html,
    /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-[A-Za-z0-9+/=]+'/,
  );
  assert.equal((html.match(/<script>/g) ?? []).length, 1);
  assert.match(html, /@media print\{/);
});

test('facts, scores, per-status counts, sections, compliance, waivers and trend are all there', () => {
  const report = fixtureReport();
  const html = renderHtml(report);
  for (const s of ['web-1 (this host)', 'guide', 'live', '2026-11-28T10:00:00.412Z', '412 ms', '0.1.0-test'])
    assert.ok(html.includes(s), s);
  assert.match(html, /id="score-before">37\.1%</);
  assert.match(html, /id="score-after">40\.6%</);
  for (const [status, n] of Object.entries(report.summary)) {
    assert.ok(html.includes(`<b data-count="${status}">${n}</b>`), status);
    assert.equal((html.match(new RegExp(`<article class="req st-${status}"`, 'g')) ?? []).length, n, status);
  }
  for (const h of ['2.1 Patch management', '2.2 User account management', '3.2 SSH hardening']) assert.ok(html.includes(h), h);
  // compliance: A.9.2.3 maps a fail, a waived and a fail → fail; A.9.4.2 only passes → pass
  assert.match(html, /<tr class="st-fail" data-control="A\.9\.2\.3" data-status="fail">/);
  assert.match(html, /<tr class="st-pass" data-control="A\.9\.4\.2" data-status="pass">/);
  assert.match(html, /<div class="fw" data-framework="gdpr"><h3>GDPR<\/h3><p>0 of 3 controls pass/);
  // waivers: the active and the expired one
  assert.match(html, /<section id="waivers">[\s\S]*data-state="active"[\s\S]*data-state="expired"[\s\S]*<\/section>/);
  // trend: one point per earlier run with a score, plus this run; a null score breaks the line
  assert.match(html, /<section id="trend">/);
  assert.equal((html.match(/<circle /g) ?? []).length, 3);
  assert.equal((html.match(/<polyline /g) ?? []).length, 2);
});

test('no trend section without earlier runs; no waiver table without waivers', () => {
  const html = renderHtml(reportOf([result('fw.enabled', 'pass', 'ufw is active')]));
  assert.doesNotMatch(html, /id="trend"/);
  assert.match(html, /No waiver applied/);
});

test('findings past the first 50 of a result are collapsed in a <details>', () => {
  const r = result(
    'fs.no-world-writable',
    'fail',
    '60 entries',
    Array.from({ length: 60 }, (_, i) => finding({ message: 'ww', path: `/f${i}` })),
  );
  const html = renderHtml(reportOf([r]));
  const [open, rest] = html.split('<details class="more">');
  assert.equal((open!.match(/<code class="loc">\/f\d+<\/code>/g) ?? []).length, 50);
  assert.match(rest!, /^<summary>10 more findings<\/summary>/);
  assert.equal((rest!.match(/<code class="loc">\/f\d+<\/code>/g) ?? []).length, 10);
});

test('10,000 findings render in well under a second per 10,000 and grow linearly', () => {
  renderHtml(bigReport(1000)); // warm-up
  const time = (n: number) => {
    const report = bigReport(n);
    const t0 = performance.now();
    const html = renderHtml(report);
    return { ms: performance.now() - t0, html };
  };
  const a = time(10_000);
  const b = time(40_000);
  assert.ok(a.ms < 2000, `10,000 findings took ${a.ms.toFixed(0)} ms`);
  assert.equal((a.html.match(/<li>/g) ?? []).length >= 10_000, true);
  // quadratic string building would make 4× the findings cost ~16× the time
  assert.ok(b.ms < a.ms * 10 + 200, `40,000 findings took ${b.ms.toFixed(0)} ms vs ${a.ms.toFixed(0)} ms for 10,000`);
});
