import type { Status } from '../checks/verdict.js';
import { renderFleetText as renderHostTable } from './document.js';
import { STATUSES } from '../checks/verdict.js';
import type { FleetDocument } from './types.js';

/** The formats a fleet document renders to. */
export const FLEET_FORMATS = ['text', 'json', 'markdown', 'html'] as const;
export type FleetFormat = (typeof FLEET_FORMATS)[number];

export function isFleetFormat(f: string): f is FleetFormat {
  return (FLEET_FORMATS as readonly string[]).includes(f);
}

/** One glyph per status (a legend goes with every matrix). */
export const GLYPH: Record<Status, string> = { pass: '✓', fail: '✗', warn: '!', na: '–', unknown: '?', manual: 'M', waived: 'W' };

interface Row {
  id: string;
  title: string;
  severity: string;
  cells: (Status | null)[];
}

interface Matrix {
  hosts: string[];
  rows: Row[];
  notAssessed: { name: string; kind: string; message: string }[];
}

/** Requirement × assessed host; a requirement a host did not evaluate is null (blank). */
function matrixOf(doc: FleetDocument): Matrix {
  const assessed = doc.hosts.filter((h): h is Extract<typeof h, { report: unknown }> => 'report' in h);
  const hosts = assessed.map((h) => h.name);
  const rows = new Map<string, Row>();
  assessed.forEach((h, i) => {
    for (const r of h.report.results) {
      let row = rows.get(r.id);
      if (!row) {
        row = { id: r.id, title: r.title, severity: r.severity, cells: hosts.map(() => null) };
        rows.set(r.id, row);
      }
      row.cells[i] = r.status;
    }
  });
  const notAssessed = doc.hosts.flatMap((h) => ('error' in h ? [{ name: h.name, kind: h.error.kind, message: h.error.message }] : []));
  return { hosts, rows: [...rows.values()], notAssessed };
}

function totalsOf(m: Matrix): Record<Status, number> {
  const t = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const r of m.rows) for (const c of r.cells) if (c !== null) t[c]++;
  return t;
}

function hostTotals(m: Matrix, i: number): string {
  const t: Partial<Record<Status, number>> = {};
  for (const r of m.rows) {
    const c = r.cells[i];
    if (c) t[c] = (t[c] ?? 0) + 1;
  }
  return STATUSES.filter((s) => t[s])
    .map((s) => `${t[s]} ${s}`)
    .join(', ');
}

const legend = STATUSES.map((s) => `${GLYPH[s]} ${s}`).join('  ');

function header(doc: FleetDocument): string {
  const s = doc.summary;
  return `${s.hosts} hosts: ${s.assessed} assessed, ${s.notAssessed} not assessed, ${s.failing} failing`;
}

/** Markdown cell text: pipes and newlines would break the table. */
function md(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The text view: the per-host table (document.ts), then the requirement × host matrix. */
export function renderFleetText(doc: FleetDocument): string {
  return `${renderHostTable(doc)}\n${renderMatrixText(doc)}`;
}

function renderMatrixText(doc: FleetDocument): string {
  const m = matrixOf(doc);
  const out: string[] = [`Rampart fleet report (${doc.generatedAt})`, header(doc), ''];
  m.hosts.forEach((h, i) => out.push(`  ${h}: ${hostTotals(m, i)}`));
  for (const n of m.notAssessed) out.push(`  ${n.name}: NOT ASSESSED (${n.kind}): ${n.message}`);
  if (m.hosts.length > 0) {
    out.push('', `Requirements (columns: ${m.hosts.map((h, i) => `${i + 1}=${h}`).join(' ')})`);
    const w = Math.max(...m.rows.map((r) => r.id.length), 2);
    for (const r of m.rows) out.push(`  ${r.id.padEnd(w)}  ${r.cells.map((c) => (c ? GLYPH[c] : ' ')).join(' ')}`);
    const t = totalsOf(m);
    out.push('', `Totals: ${STATUSES.map((s) => `${t[s]} ${s}`).join(', ')}`, `Legend: ${legend}`);
  }
  return `${out.join('\n')}\n`;
}

export function renderFleetMarkdown(doc: FleetDocument): string {
  const m = matrixOf(doc);
  const out: string[] = ['# Rampart fleet report', '', `${header(doc)} (${doc.generatedAt})`, ''];
  if (m.hosts.length > 0) {
    out.push(`| Requirement | Severity | ${m.hosts.map(md).join(' | ')} |`);
    out.push(`|---|---|${m.hosts.map(() => ':-:').join('|')}|`);
    for (const r of m.rows)
      out.push(`| ${md(r.id)} ${md(r.title)} | ${r.severity} | ${r.cells.map((c) => (c ? GLYPH[c] : ' ')).join(' | ')} |`);
    out.push(`| **Totals** | | ${m.hosts.map((_, i) => md(hostTotals(m, i))).join(' | ')} |`, '', `Legend: ${legend}`, '');
    const t = totalsOf(m);
    out.push(`All cells: ${STATUSES.map((s) => `${t[s]} ${s}`).join(', ')}`, '');
  }
  if (m.notAssessed.length > 0) {
    out.push('## Not assessed', '');
    for (const n of m.notAssessed) out.push(`- **${md(n.name)}** (${n.kind}): ${md(n.message)}`);
    out.push('');
  }
  return out.join('\n');
}

export function renderFleetHtml(doc: FleetDocument): string {
  const m = matrixOf(doc);
  const cell = (c: Status | null) => (c ? `<td class="${c}" title="${c}">${GLYPH[c]}</td>` : '<td></td>');
  const rows = m.rows
    .map((r) => `<tr><th scope="row">${esc(r.id)} ${esc(r.title)}</th><td>${esc(r.severity)}</td>${r.cells.map(cell).join('')}</tr>`)
    .join('\n');
  const t = totalsOf(m);
  const na = m.notAssessed.map((n) => `<li><b>${esc(n.name)}</b> (${esc(n.kind)}): ${esc(n.message)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Rampart fleet report</title>
<style>
body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}
td{text-align:center}th[scope=row]{text-align:left;font-weight:normal}
.pass{background:#d4f7d4}.fail{background:#f7d4d4}.warn{background:#f7ecd4}.unknown{background:#e4e4f7}.waived,.manual,.na{background:#eee}
</style></head><body>
<h1>Rampart fleet report</h1>
<p>${esc(header(doc))} (${esc(doc.generatedAt)})</p>
${
  m.hosts.length > 0
    ? `<table><thead><tr><th>Requirement</th><th>Severity</th>${m.hosts.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
<tr><th scope="row">Totals</th><td></td>${m.hosts.map((_, i) => `<td>${esc(hostTotals(m, i))}</td>`).join('')}</tr>
</tbody></table>
<p>Legend: ${esc(legend)}</p>
<p>All cells: ${esc(STATUSES.map((s) => `${t[s]} ${s}`).join(', '))}</p>`
    : ''
}
${na ? `<h2>Not assessed</h2>\n<ul>\n${na}\n</ul>` : ''}
</body></html>
`;
}

/** A fleet document in one format. */
export function renderFleet(doc: FleetDocument, format: FleetFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(doc, null, 2)}\n`;
    case 'markdown':
      return renderFleetMarkdown(doc);
    case 'html':
      return renderFleetHtml(doc);
    case 'text':
      return renderFleetText(doc);
  }
}
