// pg_hba.conf (PostgreSQL 15 hba.c, "The pg_hba.conf File"): records are read top to bottom and the
// first record matching a connection decides, so a weak method is replaced where it stands: the
// method field of every `trust`, `password` or `md5` record becomes the step's value (scram-sha-256),
// every other byte (comments, column layout, options, continuation lines) kept. The file is the one
// postgresql.conf names as hba_file (Debian sets it), else pg_hba.conf beside postgresql.conf.
// PostgreSQL has no standalone checker for the file (`postgres -C` does not load it, and refuses
// root): the result is re-parsed with Rampart's parser of hba.c's grammar, and the tests start a real
// server on the candidate (pg_hba_file_rules shows no error).
import { posix } from 'node:path';
import { parsePgConf } from '../../collect/parse/pg-conf.js';
import { HBA_METHODS, interpretHbaFields, tokenizePgHba } from '../../collect/parse/pg-hba.js';
import { bytes, currentText } from './_lib.js';
import { pgClusterConf } from './postgresql.js';
import type { DirectiveWriter, WriterOutcome } from './types.js';

/** Methods the guide (section 4.2) does not accept. */
export const WEAK_HBA_METHODS = new Set(['trust', 'password', 'md5']);

interface Span {
  start: number;
  end: number;
}

/** The fields of one record with their offsets, after hba.c's next_token (quotes, commas, `#`). */
export function hbaFieldSpans(rec: string): Span[] | null {
  const ws = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r';
  const out: Span[] = [];
  let pos = 0;
  for (;;) {
    while (ws(rec[pos])) pos++;
    if (pos >= rec.length || rec[pos] === '#') return out;
    const start = pos;
    let end = pos;
    for (;;) {
      while (ws(rec[pos])) pos++;
      let inQuote = false;
      while (pos < rec.length) {
        const c = rec[pos]!;
        if (!inQuote && (ws(c) || c === ',' || c === '#')) break;
        if (c === '"') inQuote = !inQuote;
        pos++;
      }
      if (inQuote) return null;
      end = pos;
      if (rec[pos] === ',') {
        pos++;
        continue;
      }
      break;
    }
    out.push({ start, end });
  }
}

export interface HbaEdit {
  text: string;
  /** 1-based physical lines whose method changed, with the method they had. */
  changed: { line: number; method: string }[];
  /** Records that could not be rewritten in place (a method split over a continuation). */
  skipped: number[];
}

/** Every record whose method is in `weak` gets `method`; every other byte stays. */
export function replaceHbaMethods(text: string, weak: ReadonlySet<string>, method: string): HbaEdit {
  const phys = text.split('\n');
  const changed: HbaEdit['changed'] = [];
  const skipped: number[] = [];
  for (let i = 0; i < phys.length; i++) {
    // The record as hba.c joins it (a trailing backslash continues it), with where each physical line starts.
    const first = i;
    const segs: { line: number; at: number; len: number }[] = [];
    let rec = '';
    for (;;) {
      const l = phys[i]!;
      const cont = l.replace(/\r$/, '').endsWith('\\') && i + 1 < phys.length;
      const body = cont ? l.replace(/\r$/, '').slice(0, -1) : l;
      segs.push({ line: i, at: rec.length, len: body.length });
      rec += body;
      if (!cont) break;
      i++;
    }
    const spans = hbaFieldSpans(rec);
    if (!spans || spans.length === 0) continue;
    const parsed = tokenizePgHba(rec, 'pg_hba.conf')[0];
    if (!parsed || parsed.error) continue;
    const r = interpretHbaFields(parsed.fields);
    if (r.kind !== 'rule' || !weak.has(r.method)) continue;
    // The method is the last field that is not an option (options are name=value).
    let m = spans.length - 1;
    while (m >= 0 && rec.slice(spans[m]!.start, spans[m]!.end).includes('=')) m--;
    const sp = spans[m];
    const seg = sp && segs.find((s) => sp.start >= s.at && sp.end <= s.at + s.len);
    if (!sp || !seg || !HBA_METHODS.includes(rec.slice(sp.start, sp.end).replace(/"/g, ''))) {
      skipped.push(first + 1);
      continue;
    }
    const l = phys[seg.line]!;
    const a = sp.start - seg.at;
    const b = sp.end - seg.at;
    // What follows the method keeps its column as far as the padding allows (one blank at least).
    const after = l.slice(b);
    const pad = /^[ \t]*/.exec(after)![0];
    const rest = after.slice(pad.length);
    const grow = method.length - (b - a);
    const newPad = rest === '' || grow <= 0 || pad.includes('\t') ? pad : pad.slice(Math.min(grow, pad.length - 1));
    phys[seg.line] = `${l.slice(0, a)}${method}${newPad}${rest}`;
    changed.push({ line: seg.line + 1, method: r.method });
  }
  return { text: phys.join('\n'), changed, skipped };
}

export const writer: DirectiveWriter = {
  service: 'pg_hba',
  async write({ target, mode, step, pending }): Promise<WriterOutcome> {
    if (step.directive !== 'method')
      return { ok: false, refused: `pg_hba: only the method of weak records is set (not ${step.directive})` };
    if (!HBA_METHODS.includes(step.value) || WEAK_HBA_METHODS.has(step.value))
      return { ok: false, refused: `pg_hba: ${step.value} is not a method Rampart writes` };
    const c = await pgClusterConf(target, pending, step.section);
    if ('refused' in c) return { ok: false, refused: c.refused };
    const { conf } = c;
    const set = parsePgConf(c.text, conf)
      .entries.filter((e) => e.name === 'hba_file')
      .pop()?.value;
    const path = set ? (set.startsWith('/') ? set : posix.join(c.confDir, set)) : `${c.confDir}/pg_hba.conf`;
    const hba = await currentText(target, pending, path);
    if ('error' in hba) return { ok: false, refused: hba.error };
    if (!hba.exists) return { ok: false, refused: `${path} does not exist (PostgreSQL refuses to start without it)` };
    const before = tokenizePgHba(hba.text, path).map((l) => (l.error ? 'error' : interpretHbaFields(l.fields).kind));
    if (before.includes('error')) return { ok: false, refused: `${path} already has a record PostgreSQL rejects: fix it by hand first` };
    const e = replaceHbaMethods(hba.text, WEAK_HBA_METHODS, step.value);
    if (e.skipped.length > 0)
      return { ok: false, refused: `${path}: the method of the record at line ${e.skipped.join(', ')} cannot be rewritten in place` };
    const after = tokenizePgHba(e.text, path).map((l) => (l.error ? 'error' : interpretHbaFields(l.fields).kind));
    if (after.join() !== before.join())
      return { ok: false, refused: `${path}: the rewritten file would not parse as before (a bug: nothing written)` };
    const notes = e.changed.map((x) => `${path}:${x.line}: ${x.method} → ${step.value}`);
    if (e.changed.some((x) => x.method === 'md5'))
      notes.push(
        'a role whose password is stored as an md5 hash cannot log in by scram-sha-256: set its password again first (ALTER ROLE … PASSWORD)',
      );
    if (before.includes('include')) notes.push(`${path} includes other files: their records are not rewritten`);
    return {
      ok: true,
      result: {
        changes: [{ path, content: bytes(e.text) }],
        reload: mode === 'live' ? [['pg_ctlcluster', c.version, c.name, 'reload']] : [],
        decidedBy: { path, line: e.changed[0]?.line ?? 1 },
        ...(e.changed.length > 0 ? { before: [...new Set(e.changed.map((x) => x.method))].join(', ') } : {}),
        notes,
      },
    };
  },
};
