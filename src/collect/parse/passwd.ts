/**
 * Parsers for passwd(5), group(5) and shadow(5). Pure: text → records with 1-based line numbers.
 * Password hashes never leave the shadow parser: only their state and algorithm do.
 */

export interface ParseIssue {
  line: number;
  message: string;
}

export interface PasswdRecord {
  name: string;
  /** The passwd password field reduced to its state ('x' = look in shadow). Never the hash. */
  passwordField: 'x' | 'empty' | 'other';
  uid: number;
  gid: number;
  home: string;
  shell: string;
  line: number;
}

export interface GroupRecord {
  name: string;
  gid: number;
  members: string[];
  line: number;
}

/** A NIS compat line (`+`, `+name`, `-name`, `+@netgroup`): accounts may come from NIS. */
export interface NisLine {
  line: number;
  entry: string;
}

export interface ParsedTable<T> {
  records: T[];
  nis: NisLine[];
  issues: ParseIssue[];
}

const ID_RE = /^\d{1,10}$/;

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A printable excerpt of a bad line: control characters escaped, length capped, no password field. */
export function safeExcerpt(raw: string): string {
  const shown = raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
  return JSON.stringify(shown).slice(1, -1);
}

function hasControlChars(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/.test(s);
}

/**
 * The shared walk over a colon table (passwd, group): blank lines skipped, NIS +/- lines noted,
 * binary lines and wrong field counts reported as issues; each good line's fields go to `onRecord`.
 */
function parseColonTable<T>(
  text: string,
  fields: number,
  onRecord: (f: string[], line: number, out: ParsedTable<T>) => void,
): ParsedTable<T> {
  const out: ParsedTable<T> = { records: [], nis: [], issues: [] };
  splitLines(text).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    if (raw.startsWith('+') || raw.startsWith('-')) {
      out.nis.push({ line, entry: raw.split(':')[0] ?? raw });
      return;
    }
    if (hasControlChars(raw)) {
      out.issues.push({ line, message: 'line holds control or non-UTF-8 bytes (binary garbage?)' });
      return;
    }
    const f = raw.split(':');
    if (f.length !== fields) {
      out.issues.push({ line, message: `expected ${fields} colon-separated fields, found ${f.length}` });
      return;
    }
    onRecord(f, line, out);
  });
  return out;
}

export function parsePasswd(text: string): ParsedTable<PasswdRecord> {
  return parseColonTable<PasswdRecord>(text, 7, (f, line, out) => {
    const [name, pw, uid, gid, , home, shell] = f as [string, string, string, string, string, string, string];
    if (name === '' || !ID_RE.test(uid) || !ID_RE.test(gid)) {
      out.issues.push({
        line,
        message: `bad name, UID or GID field (${JSON.stringify(name)}, ${JSON.stringify(uid)}, ${JSON.stringify(gid)})`,
      });
      return;
    }
    out.records.push({
      name,
      passwordField: pw === 'x' ? 'x' : pw === '' ? 'empty' : 'other',
      uid: Number(uid),
      gid: Number(gid),
      home,
      shell,
      line,
    });
  });
}

export function parseGroup(text: string): ParsedTable<GroupRecord> {
  return parseColonTable<GroupRecord>(text, 4, (f, line, out) => {
    const [name, , gid, members] = f as [string, string, string, string];
    if (name === '' || !ID_RE.test(gid)) {
      out.issues.push({ line, message: `bad name or GID field (${JSON.stringify(name)}, ${JSON.stringify(gid)})` });
      return;
    }
    out.records.push({
      name,
      gid: Number(gid),
      members: members
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean),
      line,
    });
  });
}

/** Login shells per the guide: anything but nologin/false; an empty shell means /bin/sh. */
const NON_LOGIN_SHELLS = new Set(['/usr/sbin/nologin', '/sbin/nologin', '/bin/false', '/usr/bin/false']);
export function isLoginShell(shell: string): boolean {
  return !NON_LOGIN_SHELLS.has(shell);
}
export function effectiveShell(shell: string): string {
  return shell === '' ? '/bin/sh' : shell;
}
