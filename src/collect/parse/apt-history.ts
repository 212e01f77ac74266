/**
 * Time stamps of apt's history.log ("Start-Date: 2026-11-28  07:30:01") and dpkg.log
 * ("2026-11-28 07:30:01 status ..."). Both are local time without a zone; they are read as UTC,
 * which is precise enough for a span counted in days.
 */
export interface LogSpan {
  entries: number;
  first: string | null;
  last: string | null;
  malformed: number;
}

function iso(date: string, time: string): string | null {
  const d = new Date(`${date}T${time}Z`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function span(stamps: string[], malformed: number): LogSpan {
  const sorted = [...stamps].sort();
  return { entries: stamps.length, first: sorted[0] ?? null, last: sorted[sorted.length - 1] ?? null, malformed };
}

export function parseAptHistory(text: string): LogSpan {
  const stamps: string[] = [];
  let malformed = 0;
  for (const m of text.matchAll(/^Start-Date:\s*(.*)$/gm)) {
    const t = /^(\d{4}-\d{2}-\d{2})\s+(\d{2}:\d{2}:\d{2})$/.exec(m[1]!.trim());
    const s = t ? iso(t[1]!, t[2]!) : null;
    if (s) stamps.push(s);
    else malformed++;
  }
  return span(stamps, malformed);
}

export function parseDpkgLog(text: string): LogSpan {
  let malformed = 0;
  let first: string | null = null;
  let last: string | null = null;
  let entries = 0;
  for (const l of text.split('\n')) {
    if (l === '') continue;
    const t = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) /.exec(l);
    const s = t ? iso(t[1]!, t[2]!) : null;
    if (!s) {
      malformed++;
      continue;
    }
    entries++;
    if (first === null || s < first) first = s;
    if (last === null || s > last) last = s;
  }
  return { entries, first, last, malformed };
}
