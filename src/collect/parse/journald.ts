/**
 * journald.conf(5) and its drop-ins, read as systemd 252 does (conf-parser.c): `[Journal]`
 * section, `Key=Value`, `#`/`;` comments, a trailing backslash continues a line, later
 * assignments win and an empty assignment restores the default.
 */
export interface JournaldAssignment {
  key: string;
  value: string;
  line: number;
  text: string;
}

export interface JournaldFile {
  path: string;
  assignments: JournaldAssignment[];
  errors: { line: number; message: string }[];
}

export function parseJournaldConf(text: string, path: string): JournaldFile {
  const assignments: JournaldAssignment[] = [];
  const errors: JournaldFile['errors'] = [];
  let section: string | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    let line = (lines[i] ?? '').replace(/\r$/, '');
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + (lines[++i] ?? '').replace(/\r$/, '');
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const sec = /^\[([^\]]+)\]$/.exec(t);
    if (sec) {
      section = sec[1]!;
      continue;
    }
    const eq = t.indexOf('=');
    if (eq === -1) {
      errors.push({ line: n, message: `missing "=" (systemd ignores the line): ${JSON.stringify(t.slice(0, 80))}` });
      continue;
    }
    if (section === null) {
      errors.push({ line: n, message: 'assignment outside of a section (systemd ignores it)' });
      continue;
    }
    if (section !== 'Journal') continue;
    assignments.push({ key: t.slice(0, eq).trim(), value: t.slice(eq + 1).trim(), line: n, text: t });
  }
  return { path, assignments, errors };
}

const USEC_UNITS: [RegExp, number][] = [
  [/^(?:us|usec|µs)$/, 1e-6],
  [/^(?:ms|msec)$/, 1e-3],
  [/^(?:s|sec|second|seconds)?$/, 1],
  [/^(?:m|min|minute|minutes)$/, 60],
  [/^(?:h|hr|hour|hours)$/, 3600],
  [/^(?:d|day|days)$/, 86400],
  [/^(?:w|week|weeks)$/, 604800],
  [/^(?:M|month|months)$/, 2629800],
  [/^(?:y|year|years)$/, 31557600],
];

/** systemd.time(7) time span in seconds ("90d", "3month", "1y 2w", a bare number = seconds); null if invalid. */
export function parseTimespan(text: string): number | null {
  const s = text.trim();
  if (s === '') return null;
  if (s === 'infinity') return Infinity;
  let total = 0;
  let rest = s;
  while (rest.length > 0) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Zµ]*)/.exec(rest);
    if (!m || m[0].length === 0) return null;
    const unit = USEC_UNITS.find(([re]) => re.test(m[2]!));
    if (!unit) return null;
    total += Number(m[1]) * unit[1];
    rest = rest.slice(m[0].length).trimStart();
  }
  return total;
}

/** systemd size ("4G", "500M", "10%" is a share of the file system): bytes, or a percentage. */
export function parseJournalSize(text: string): { bytes: number } | { percent: number } | null {
  const s = text.trim();
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(s);
  if (pct) return { percent: Number(pct[1]) };
  const m = /^(\d+(?:\.\d+)?)\s*([KMGTPE]?)i?B?$/i.exec(s);
  if (!m) return null;
  const exp = ' KMGTPE'.indexOf((m[2] ?? '').toUpperCase() || ' ');
  return { bytes: Math.floor(Number(m[1]) * 1024 ** Math.max(exp, 0)) };
}
