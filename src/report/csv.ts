import type { Report } from '../evaluate/report.js';
import type { Finding } from '../facts/evidence.js';
import { csvCell } from './escape.js';
import { waiverText } from './view.js';

/**
 * One row per finding, for auditors' spreadsheets (RFC 4180: CRLF line ends, quoted fields).
 * A result without findings gets one row with the finding columns empty. Control characters in host
 * strings are shown escaped (\n), and a cell starting with = + - @ gets a leading apostrophe so no
 * spreadsheet evaluates it as a formula.
 */
export const CSV_COLUMNS = [
  'host',
  'run_id',
  'id',
  'section',
  'title',
  'severity',
  'status',
  'summary',
  'message',
  'path',
  'line',
  'command',
  'excerpt',
  'iso27001:2013',
  'iso27001:2022',
  'gdpr',
  'waiver',
] as const;

const NO_FINDING: Finding = { message: '', path: null, line: null, command: null, excerpt: null };

export interface CsvOptions {
  /** A UTF-8 byte order mark first, for spreadsheets that guess the encoding otherwise (Excel). */
  bom?: boolean;
}

export function renderCsv(report: Report, opts: CsvOptions = {}): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  // The run id exists once the run is stored in the history (the trend's last point is this run).
  const runId = report.trend.at(-1)?.runId ?? '';
  for (const r of report.results) {
    const controls = [r.controls['iso27001:2013'].join('; '), r.controls['iso27001:2022'].join('; '), r.controls.gdpr.join('; ')];
    const waiver = r.waiver ? waiverText(r.waiver) : '';
    for (const f of r.findings.length > 0 ? r.findings : [NO_FINDING]) {
      rows.push(
        [
          report.target.name,
          runId,
          r.id,
          r.section,
          r.title,
          r.severity,
          r.status,
          r.summary,
          f.message,
          f.path,
          f.line,
          f.command,
          f.excerpt,
          ...controls,
          waiver,
        ]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return `${opts.bom ? '\uFEFF' : ''}${rows.join('\r\n')}\r\n`;
}
