import { SECTION_TITLES } from '../catalog/types.js';
import type { Status } from '../checks/verdict.js';
import type { AppliedWaiver, Report, Result } from '../evaluate/report.js';
import type { Finding } from '../facts/evidence.js';
import type { Compliance } from '../evaluate/compliance.js';

export interface TextOptions {
  color: boolean;
  /** Findings shown per result before "… and N more" (JSON has them all). */
  maxFindings?: number;
  /** Only fail and warn results (audit --quiet). */
  quiet?: boolean;
  /** Only results of these severities (audit --severity); the summary and score stay the whole run's. */
  severities?: readonly string[];
  /** Terminal width: longer evidence lines are cut there ("… see --format json"). */
  columns?: number;
}

const COLORS: Record<Status, string> = {
  pass: '32',
  fail: '31',
  warn: '33',
  na: '90',
  unknown: '35',
  manual: '36',
  waived: '34',
};

export function locate(f: Pick<Finding, 'path' | 'line' | 'command'>): string | null {
  if (f.path) return f.line ? `${f.path}:${f.line}` : f.path;
  return f.command ? `$ ${f.command}` : null;
}

/**
 * Characters that reorder or hide text on a display (Trojan Source, CVE-2021-42574): the bidi
 * embeddings, overrides and isolates, the directional marks, the line/paragraph separators, the BOM.
 * A file name with U+202E shows `gpj.exe` as `exe.jpg`; these are always shown escaped (\u202e).
 */
export const DISPLAY_CONTROLS = /[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Control characters (a file name with a newline, an escape sequence, a bidi override) are shown escaped. */
export function printable(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
        c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
      )
      .replace(DISPLAY_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  );
}

/** JSON text with the display controls and C1 controls written as \u escapes: the same data, nothing raw on a terminal. */
export function jsonDisplaySafe(json: string): string {
  return json
    .replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(DISPLAY_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function describeWaiver(w: AppliedWaiver): string {
  const details = [
    w.approvedBy ? `approved by ${w.approvedBy}` : null,
    w.state === 'active' && w.expires ? `until ${w.expires}` : null,
    w.source,
  ].filter(Boolean);
  return printable(`${w.reason}${details.length ? ` (${details.join(', ')})` : ''}`);
}

const formatScore = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(1)}%`);

/** The trailing ` [note]` of a summary (brackets balanced), or null. */
export function trailingNote(summary: string): { body: string; note: string } | null {
  if (!summary.endsWith(']')) return null;
  let depth = 0;
  for (let i = summary.length - 1; i >= 0; i--) {
    const c = summary[i];
    if (c === ']') depth++;
    else if (c === '[' && --depth === 0)
      return i > 0 && summary[i - 1] === ' ' ? { body: summary.slice(0, i - 1), note: summary.slice(i + 1, -1) } : null;
  }
  return null;
}

/**
 * Notes said once: a trailing ` [note]` that two or more shown results share (sshd's "[from the
 * configuration files: …]" on every sshd line) is listed once, numbered, and each summary ends with
 * ` [note N]` instead.
 */
export function liftNotes(results: readonly Result[]): { notes: string[]; summaryOf: (r: Result) => string } {
  const count = new Map<string, number>();
  for (const r of results) {
    const n = trailingNote(r.summary)?.note;
    if (n !== undefined) count.set(n, (count.get(n) ?? 0) + 1);
  }
  const notes = [...count].filter(([, n]) => n > 1).map(([note]) => note);
  return {
    notes,
    summaryOf: (r) => {
      const t = trailingNote(r.summary);
      const i = t ? notes.indexOf(t.note) : -1;
      return t && i >= 0 ? `${t.body} [note ${i + 1}]` : r.summary;
    },
  };
}

function renderResult(r: Result, opts: TextOptions & { summaryOf: (r: Result) => string }): string[] {
  const paint = (s: string, code: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const badge = paint(r.status.toUpperCase().padEnd(7), COLORS[r.status]);
  const sev = r.status === 'fail' || r.status === 'warn' ? `  [${r.severity}]` : '';
  // the title is catalog text: on a narrow terminal it wraps under itself rather than being cut
  const headWidth = 12 + r.id.length;
  const [first = '', ...rest] = wrap(`${printable(r.title)}${sev}`, opts.columns, headWidth, 12);
  const lines = [`  ${badge} ${r.id}  ${first.slice(headWidth)}`, ...rest];
  lines.push(`          ${fold(printable(opts.summaryOf(r)), opts.columns, 10)}`);
  const max = opts.maxFindings ?? 10;
  for (const f of r.findings.slice(0, max)) {
    const where = locate(f);
    const msg = f.message === r.summary ? '' : printable(f.message);
    const text = [where ? printable(where) : null, msg || null].filter(Boolean).join('  ');
    if (text) lines.push(`          - ${fold(text, opts.columns, 12)}`);
    // an excerpt the line above already quotes whole is not said twice
    const excerpt = f.excerpt ? printable(f.excerpt) : '';
    if (excerpt && !text.includes(excerpt)) lines.push(`              ${paint(fold(excerpt, opts.columns, 14), '90')}`);
  }
  if (r.findings.length > max) lines.push(`          … and ${r.findings.length - max} more (see --format json)`);
  if (r.waiver)
    lines.push(
      `          ${r.waiver.state === 'expired' ? `waiver expired on ${r.waiver.expires ?? '?'}` : 'waived'}: ${describeWaiver(r.waiver)}`,
    );
  if (r.status === 'fail' || r.status === 'warn') lines.push(...wrap(`fix: ${printable(r.remediation)}`, opts.columns, 10, 15));
  return lines;
}

/**
 * Advice wrapped at spaces to the terminal's width (not cut: the remediation is read in full); the
 * first line at `indent`, the rest at `hang`. A word longer than the room stays whole.
 */
function wrap(s: string, columns: number | undefined, indent: number, hang: number): string[] {
  if (columns === undefined || columns - hang < 30) return [`${' '.repeat(indent)}${s}`];
  const out: string[] = [];
  let line = '';
  let pad = indent;
  for (const word of s.split(' ')) {
    if (line !== '' && pad + line.length + 1 + word.length > columns) {
      out.push(`${' '.repeat(pad)}${line}`);
      line = word;
      pad = hang;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  out.push(`${' '.repeat(pad)}${line}`);
  return out;
}

/** A line cut to the terminal's width, saying where the rest is. */
function fold(s: string, columns: number | undefined, indent: number): string {
  const room = columns === undefined ? Infinity : columns - indent;
  const tail = '… see --format json';
  return s.length <= room || room < tail.length + 10 ? s : `${s.slice(0, room - tail.length - 1)} ${tail}`;
}

const RANK = ['critical', 'high', 'medium', 'low', 'info'];

/** The failures first, critical first: one line each. */
function renderFailures(results: readonly Result[], opts: TextOptions & { summaryOf: (r: Result) => string }): string[] {
  const bad = results
    .filter((r) => r.status === 'fail' || r.status === 'warn')
    .sort((a, b) => RANK.indexOf(a.severity) - RANK.indexOf(b.severity));
  if (bad.length === 0) return ['', 'Failures: none'];
  return [
    '',
    `Failures (${bad.length}, by severity):`,
    ...bad.map(
      (r) =>
        `  ${r.severity.padEnd(8)} ${r.status.padEnd(4)} ${r.id}  ${fold(printable(opts.summaryOf(r)), opts.columns, 18 + r.id.length)}`,
    ),
  ];
}

/** The control table of `audit --compliance FRAMEWORK`, after the results. */
function renderCompliance(c: Compliance): string[] {
  const n = (s: string) => c.controls.filter((x) => x.status === s).length;
  const width = Math.max(7, ...c.controls.map((x) => x.id.length));
  return [
    '',
    `Compliance ${c.framework}: ${c.controls.length} controls: ${n('pass')} pass, ${n('fail')} fail, ${n('incomplete')} incomplete, ${n('na')} n/a`,
    '(a control passes only when all its requirements pass or are waived; manual or unknown ones leave it incomplete; n/a ones are ignored)',
    `  ${'control'.padEnd(width)}  ${'status'.padEnd(10)}  requirements`,
    ...c.controls.map((x) => `  ${printable(x.id).padEnd(width)}  ${x.status.padEnd(10)}  ${x.requirements.join(', ')}`),
  ];
}

export function renderText(report: Report, opts: TextOptions): string {
  const out: string[] = [];
  const t = report.target;
  const where = t.kind === 'root' ? `offline root ${t.root}` : t.kind === 'facts' ? `saved facts of ${t.name}` : 'this host (live)';
  const from = t.nameFrom !== undefined ? ` (name from ${printable(t.nameFrom)})` : '';
  out.push(
    `Rampart ${report.tool.version} audit of ${printable(t.name)}${from}: ${where}, profile ${report.profile}, collected ${report.collectedAt}`,
  );
  const s = report.summary;
  const sc = report.score;
  out.push(
    `Score: ${formatScore(sc.beforeWaivers)} before waivers, ${formatScore(sc.afterWaivers)} after (severity-weighted share of decided requirements that pass)`,
    `Summary: ${report.results.length} requirements: ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.unknown} unknown, ${s.manual} manual, ${s.na} n/a${s.waived ? `, ${s.waived} waived` : ''} (${report.durationMs} ms)`,
  );
  const shown = report.results.filter(
    (r) =>
      (!opts.quiet || r.status === 'fail' || r.status === 'warn') &&
      (opts.severities === undefined || opts.severities.includes(r.severity)),
  );
  if (opts.severities !== undefined) out.push(`Showing severities ${opts.severities.join(', ')} only (--severity)`);
  const { notes, summaryOf } = liftNotes(shown);
  if (notes.length > 0) out.push('', 'Notes:', ...notes.map((n, i) => `  [note ${i + 1}] ${fold(printable(n), opts.columns, 12)}`));
  const ropts = { ...opts, summaryOf };
  out.push(...renderFailures(shown, ropts));
  let section = '';
  for (const r of shown) {
    if (r.section !== section) {
      section = r.section;
      out.push('', `${section} ${SECTION_TITLES[section] ?? ''}`.trimEnd());
    }
    out.push(...renderResult(r, ropts));
  }
  const waived = report.results.filter((r) => r.waiver);
  if (waived.length && !opts.quiet)
    out.push(
      '',
      'Waivers:',
      ...waived.map(
        (r) =>
          `  ${r.id}: ${r.waiver!.state === 'expired' ? `EXPIRED on ${r.waiver!.expires ?? '?'}` : r.status}: ${describeWaiver(r.waiver!)}`,
      ),
    );
  if (report.compliance) out.push(...renderCompliance(report.compliance));
  return `${out.join('\n')}\n`;
}
