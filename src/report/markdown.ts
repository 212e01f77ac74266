import type { Report, Result } from '../evaluate/report.js';
import { mdCode, mdText } from './escape.js';
import { locate } from './text.js';
import { STATUSES, durationText, groupBySection, modeLabel, scoreText, targetLabel, waiverText } from './view.js';

/**
 * Markdown for pull requests and tickets (GitHub-flavoured): facts and a summary table, then the
 * failures and warnings grouped by section, the waivers, and every result in a collapsed table.
 * Host strings are escaped: evidence as code spans (fence longer than any backtick run inside,
 * `|` escaped in table cells), other text with Markdown punctuation backslash-escaped.
 */

/** Findings listed before the rest go into a collapsed <details>. */
const OPEN_FINDINGS = 5;

function finding(r: Result, f: Result['findings'][number]): string[] {
  const where = locate(f);
  const msg = f.message && f.message !== r.summary ? mdText(f.message) : '';
  const lines = [`  - ${[where ? mdCode(where) : null, msg || null].filter(Boolean).join(' ') || '(no location)'}`];
  if (f.excerpt) lines.push(`    ${mdCode(f.excerpt)}`);
  return lines;
}

function problem(r: Result): string[] {
  const lines = [`- **${r.status.toUpperCase()}** ${mdCode(r.id)} ${mdText(r.title)} (${r.severity})  `, `  ${mdText(r.summary)}`];
  const shown = r.findings.slice(0, OPEN_FINDINGS);
  for (const f of shown) lines.push(...finding(r, f));
  const rest = r.findings.slice(OPEN_FINDINGS);
  if (rest.length > 0) {
    lines.push('', `  <details><summary>${rest.length} more findings</summary>`, '');
    for (const f of rest) lines.push(...finding(r, f));
    lines.push('', '  </details>', '');
  }
  lines.push(`  - Fix: ${mdText(r.remediation)}`);
  if (r.waiver) lines.push(`  - Waiver ${r.waiver.state}: ${mdText(waiverText(r.waiver))}`);
  return lines;
}

export function renderMarkdown(report: Report): string {
  const s = report.summary;
  const out: string[] = [
    `## Rampart audit: ${mdText(report.target.name)}`,
    '',
    `${mdText(targetLabel(report.target))}, ${modeLabel(report.live)}, profile ${report.profile}, collected ${mdText(report.collectedAt)}, ${durationText(report.durationMs)}, Rampart ${mdText(report.tool.version)}`,
    '',
    '| Status | Requirements |',
    '| --- | ---: |',
    ...STATUSES.filter((st) => s[st] > 0 || st === 'fail' || st === 'pass').map((st) => `| ${st} | ${s[st]} |`),
    '',
    `**Score:** ${scoreText(report.score.beforeWaivers)} before waivers, ${scoreText(report.score.afterWaivers)} after waivers (severity-weighted share of decided requirements that pass).`,
    '',
  ];

  const groups = groupBySection(report.results);
  const problems = groups
    .map((g) => ({ ...g, results: g.results.filter((r) => r.status === 'fail' || r.status === 'warn') }))
    .filter((g) => g.results.length > 0);
  out.push('### Failures and warnings', '');
  if (problems.length === 0) out.push('None.', '');
  for (const g of problems) {
    out.push(`#### ${mdText(g.label)}`, '');
    for (const r of g.results) out.push(...problem(r));
    out.push('');
  }

  const waived = report.results.filter((r) => r.status === 'waived');
  if (waived.length > 0) {
    out.push('### Waived', '', '| Requirement | Severity | Summary | Waiver |', '| --- | --- | --- | --- |');
    for (const r of waived) {
      out.push(`| ${mdCode(r.id, true)} | ${r.severity} | ${mdText(r.summary)} | ${r.waiver ? mdText(waiverText(r.waiver)) : ''} |`);
    }
    out.push('');
  }

  out.push(
    '<details><summary>All results</summary>',
    '',
    '| Section | Requirement | Status | Severity | Summary |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const g of groups) {
    for (const r of g.results)
      out.push(`| ${g.section} | ${mdCode(r.id, true)} ${mdText(r.title)} | ${r.status} | ${r.severity} | ${mdText(r.summary)} |`);
  }
  out.push('', '</details>', '');
  return `${out.join('\n')}\n`;
}
