import { createHash } from 'node:crypto';
import type { Report, Result, TrendPoint } from '../evaluate/report.js';
import type { Finding } from '../facts/evidence.js';
import { esc } from './escape.js';
import { HTML_CSS, HTML_JS } from './html-assets.js';
import { locate } from './text.js';
import {
  FRAMEWORKS,
  SEVERITIES,
  STATUSES,
  controlView,
  durationText,
  groupBySection,
  modeLabel,
  scoreText,
  targetLabel,
  waiverText,
  type SectionGroup,
  type Status,
} from './view.js';

/**
 * One self-contained HTML file: inline CSS and JS, no network (a Content-Security-Policy forbids
 * every load and allows only the one inline script, by hash). Rendered server-side; the script
 * filters by data attributes and never builds HTML. Every host string goes through `esc`.
 */

export interface HtmlOptions {
  /** Findings listed per requirement before the rest go into a collapsed <details>. */
  openFindings?: number;
}

const OPEN_FINDINGS = 50;

const SCRIPT_HASH = createHash('sha256').update(HTML_JS).digest('base64');
const CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`;

const badge = (s: Status) => `<span class="badge st-${s}">${s}</span>`;
const sev = (s: string) => `<span class="sev sev-${s}">${s}</span>`;
const anchor = (id: string) => `req-${id}`;

function facts(report: Report): string {
  const t = report.target;
  const rows: [string, string][] = [
    ['Target', targetLabel(t)],
    ['Profile', report.profile],
    ['Mode', modeLabel(report.live)],
    ['Collected at', report.collectedAt],
    ['Started at', report.startedAt],
    ['Duration', durationText(report.durationMs)],
    ['Rampart', report.tool.version],
  ];
  return `<dl class="facts">${rows.map(([k, v]) => `<div><dt>${k}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>`;
}

function bar(counts: Record<Status, number>, total: number): string {
  const parts = STATUSES.filter((s) => counts[s] > 0).map(
    (s) => `<span class="st-${s}" style="width:${((counts[s] / total) * 100).toFixed(2)}%" title="${s}: ${counts[s]}"></span>`,
  );
  return `<div class="bar" role="img" aria-label="${STATUSES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ')}">${parts.join('')}</div>`;
}

function overview(report: Report, groups: SectionGroup[]): string {
  const s = report.summary;
  const counts = STATUSES.map((st) => `<li class="st-${st}"><span>${st}</span><b data-count="${st}">${s[st]}</b></li>`).join('');
  const sections = groups
    .map(
      (g) =>
        `<tr><td><a href="#sec-${esc(g.section)}">${esc(g.label)}</a></td><td>${bar(g.counts, g.results.length)}</td><td class="num">${g.results.length}</td><td class="num">${scoreText(g.score)}</td></tr>`,
    )
    .join('\n');
  return `<section id="overview" class="overview">
<div>
<div class="scores"><div class="score"><span class="big" id="score-before">${scoreText(report.score.beforeWaivers)}</span><small>score before waivers</small></div><div class="score"><span class="big" id="score-after">${scoreText(report.score.afterWaivers)}</span><small>after waivers</small></div></div>
<ul class="counts">${counts}</ul>
</div>
<table class="sections"><thead><tr><th>Section</th><th>Results</th><th class="num">Requirements</th><th class="num">Score</th></tr></thead><tbody>
${sections}
</tbody></table>
</section>`;
}

function filtersNav(report: Report): string {
  const s = report.summary;
  const sevCounts = Object.fromEntries(SEVERITIES.map((v) => [v, 0])) as Record<string, number>;
  for (const r of report.results) sevCounts[r.severity] = (sevCounts[r.severity] ?? 0) + 1;
  const st = STATUSES.map(
    (v) => `<button type="button" class="st st-${v}" data-filter="status" data-value="${v}" aria-pressed="true">${v} ${s[v]}</button>`,
  ).join('');
  const sv = SEVERITIES.map(
    (v) => `<button type="button" data-filter="severity" data-value="${v}" aria-pressed="true">${v} ${sevCounts[v] ?? 0}</button>`,
  ).join('');
  return `<nav id="filters" aria-label="Filters">
<div role="group" aria-label="Status"><span class="label">Status</span>${st}</div>
<div role="group" aria-label="Severity"><span class="label">Severity</span>${sv}</div>
<div role="group" aria-label="Presets"><button type="button" data-preset="problems">Problems only</button><button type="button" data-preset="all">Show all</button></div>
<span id="shown" aria-live="polite">${report.results.length} of ${report.results.length} requirements shown</span>
</nav>`;
}

function findingItem(r: Result, f: Finding, out: string[]): void {
  const where = locate(f);
  const msg = f.message && f.message !== r.summary ? `<span class="msg">${esc(f.message)}</span>` : '';
  out.push(
    `<li>${where ? `<code class="loc">${esc(where)}</code> ` : ''}${msg}${f.excerpt ? `<pre class="excerpt">${esc(f.excerpt)}</pre>` : ''}</li>`,
  );
}

function requirement(r: Result, open: number, out: string[]): void {
  out.push(
    `<article class="req st-${r.status}" id="${esc(anchor(r.id))}" data-status="${r.status}" data-severity="${r.severity}">`,
    `<header>${badge(r.status)} <code class="id">${esc(r.id)}</code> <span class="title">${esc(r.title)}</span> ${sev(r.severity)}</header>`,
    `<p class="summary">${esc(r.summary)}</p>`,
  );
  if (r.waiver) out.push(`<p class="waiver">Waiver (${r.waiver.state}): ${esc(waiverText(r.waiver))}</p>`);
  if (r.findings.length > 0) {
    out.push('<ul class="findings">');
    const shown = Math.min(open, r.findings.length);
    for (let i = 0; i < shown; i++) findingItem(r, r.findings[i]!, out);
    out.push('</ul>');
    if (r.findings.length > shown) {
      out.push(
        `<details class="more"><summary>${(r.findings.length - shown).toLocaleString('en-US')} more findings</summary><ul class="findings">`,
      );
      for (let i = shown; i < r.findings.length; i++) findingItem(r, r.findings[i]!, out);
      out.push('</ul></details>');
    }
  }
  if (r.status !== 'pass' && r.status !== 'na') out.push(`<p class="fix"><b>Remediation:</b> ${esc(r.remediation)}</p>`);
  const controls = FRAMEWORKS.map((fw) => `${fw.label} ${r.controls[fw.id].length ? esc(r.controls[fw.id].join(', ')) : '—'}`).join(' · ');
  out.push(`<p class="controls">${controls}</p>`, '</article>');
}

function compliance(report: Report): string {
  const parts = ['<section id="compliance"><h2>Compliance</h2>'];
  for (const fw of FRAMEWORKS) {
    const rows = controlView(report.results, fw.id);
    const passing = rows.filter((r) => r.status === 'pass').length;
    parts.push(
      `<div class="fw" data-framework="${fw.id}"><h3>${fw.label}</h3><p>${passing} of ${rows.length} controls pass (a control passes only when every requirement mapped to it passes).</p>`,
    );
    if (rows.length > 0) {
      parts.push('<table><thead><tr><th>Control</th><th>Status</th><th>Requirements</th></tr></thead><tbody>');
      for (const row of rows) {
        const reqs = row.results
          .map((r) => `<a href="#${esc(anchor(r.id))}">${esc(r.id)}</a> <span class="mini st-${r.status}">${r.status}</span>`)
          .join(', ');
        parts.push(
          `<tr class="st-${row.status}" data-control="${esc(row.control)}" data-status="${row.status}"><td>${esc(row.control)}</td><td>${badge(row.status)}</td><td>${reqs}</td></tr>`,
        );
      }
      parts.push('</tbody></table>');
    }
    parts.push('</div>');
  }
  parts.push('</section>');
  return parts.join('\n');
}

function waivers(report: Report): string {
  const list = report.results.filter((r) => r.waiver);
  if (list.length === 0) return '<section id="waivers"><h2>Waivers</h2><p>No waiver applied.</p></section>';
  const rows = list.map((r) => {
    const w = r.waiver!;
    return `<tr data-state="${w.state}"><td><a href="#${esc(anchor(r.id))}">${esc(r.id)}</a></td><td>${badge(r.status)}</td><td>${esc(w.reason)}</td><td>${esc(w.approvedBy ?? '—')}</td><td>${esc(w.expires ?? 'never')}</td><td>${w.state}</td><td>${esc(w.source ?? '—')}</td></tr>`;
  });
  return `<section id="waivers"><h2>Waivers</h2><table><thead><tr><th>Requirement</th><th>Status</th><th>Reason</th><th>Approved by</th><th>Expires</th><th>State</th><th>Configured at</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></section>`;
}

/** Score over the last runs (oldest first) and this one, as an inline SVG line chart. */
function trend(report: Report): string {
  if (report.trend.length === 0) return '';
  const points: (Pick<TrendPoint, 'startedAt' | 'score'> & { label: string })[] = [
    ...report.trend.map((p) => ({ startedAt: p.startedAt, score: p.score, label: p.runId })),
    { startedAt: report.startedAt, score: report.score.afterWaivers, label: 'this run' },
  ];
  const W = 640,
    H = 180,
    L = 36,
    R = 16,
    T = 12,
    B = 28;
  const x = (i: number) => L + (points.length === 1 ? 0 : (i * (W - L - R)) / (points.length - 1));
  const y = (v: number) => T + ((100 - v) * (H - T - B)) / 100;
  const grid = [0, 50, 100]
    .map(
      (v) =>
        `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#d1d9e0"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`,
    )
    .join('');
  const segments: string[] = [];
  let current: string[] = [];
  points.forEach((p, i) => {
    if (p.score === null) {
      if (current.length) segments.push(current.join(' '));
      current = [];
    } else current.push(`${x(i).toFixed(1)},${y(p.score).toFixed(1)}`);
  });
  if (current.length) segments.push(current.join(' '));
  const lines = segments.map((pts) => `<polyline fill="none" stroke="#0969da" stroke-width="2" points="${pts}"/>`).join('');
  const dots = points
    .map((p, i) =>
      p.score === null
        ? ''
        : `<circle cx="${x(i).toFixed(1)}" cy="${y(p.score).toFixed(1)}" r="4" fill="#0969da"><title>${esc(`${p.label} ${p.startedAt}: ${scoreText(p.score)}`)}</title></circle>`,
    )
    .join('');
  const first = points[0]!;
  const labels = `<text x="${L}" y="${H - 8}">${esc(first.startedAt.slice(0, 10))}</text><text x="${W - R}" y="${H - 8}" text-anchor="end">this run</text>`;
  const rows = report.trend
    .map(
      (p) =>
        `<tr><td>${esc(p.runId)}</td><td>${esc(p.startedAt)}</td><td class="num">${scoreText(p.score)}</td><td class="num">${p.summary.fail ?? 0}</td><td class="num">${p.summary.warn ?? 0}</td></tr>`,
    )
    .join('\n');
  return `<section id="trend"><h2>Trend</h2>
<svg class="trend" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Score of the last ${points.length} runs">${grid}${lines}${dots}${labels}</svg>
<details><summary>Earlier runs</summary><table><thead><tr><th>Run</th><th>Started at</th><th class="num">Score</th><th class="num">Fail</th><th class="num">Warn</th></tr></thead><tbody>
${rows}
</tbody></table></details></section>`;
}

export function renderHtml(report: Report, opts: HtmlOptions = {}): string {
  const groups = groupBySection(report.results);
  const open = opts.openFindings ?? OPEN_FINDINGS;
  const body: string[] = [];
  for (const g of groups) {
    body.push(
      `<section class="sec" id="sec-${esc(g.section)}" data-section="${esc(g.section)}"><h3>${esc(g.label)} <small>${scoreText(g.score)}</small></h3>`,
    );
    for (const r of g.results) requirement(r, open, body);
    body.push('</section>');
  }
  const title = `Rampart audit of ${report.target.name}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="rampart ${esc(report.tool.version)}">
<title>${esc(title)}</title>
<style>${HTML_CSS}</style>
</head>
<body>
<header class="top">
<h1>Rampart audit: <span class="host">${esc(report.target.name)}</span></h1>
${facts(report)}
</header>
<main>
${overview(report, groups)}
${filtersNav(report)}
<section id="results"><h2>Requirements</h2>
${body.join('\n')}
</section>
${compliance(report)}
${waivers(report)}
${trend(report)}
</main>
<footer>Rampart ${esc(report.tool.version)} · ${report.results.length} requirements · profile ${report.profile} · collected ${esc(report.collectedAt)}</footer>
<script>${HTML_JS}</script>
</body>
</html>
`;
}
