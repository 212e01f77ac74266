import { fnmatchMatcher } from '../../util/glob.js';

/**
 * apt.conf(5) syntax as apt's ReadConfigFile reads it: `Scope::Tag "value";`, `{ }` blocks,
 * anonymous list items (`"value";` in a block or `Tag:: "value";`), `#clear Scope::Tag`,
 * `//`, `#` and `/* *\/` comments. Keys are case-insensitive; later assignments win.
 */
export type AptConfStatement =
  | { op: 'set'; key: string; value: string; line: number; excerpt: string }
  | { op: 'append'; key: string; value: string; line: number; excerpt: string }
  | { op: 'clear'; key: string; line: number; excerpt: string }
  | { op: 'include'; key: string; line: number; excerpt: string };

export interface AptConfError {
  line: number;
  message: string;
}

export interface AptConfParse {
  path: string;
  statements: AptConfStatement[];
  errors: AptConfError[];
}

function unquote(s: string): { ok: true; value: string; rest: string } | { ok: false } {
  if (!s.startsWith('"')) {
    const sp = s.indexOf(' ');
    return sp < 0 ? { ok: true, value: s, rest: '' } : { ok: true, value: s.slice(0, sp), rest: s.slice(sp + 1).trim() };
  }
  const end = s.indexOf('"', 1);
  if (end < 0) return { ok: false };
  return { ok: true, value: s.slice(1, end), rest: s.slice(end + 1).trim() };
}

export function parseAptConf(text: string, path: string): AptConfParse {
  const statements: AptConfStatement[] = [];
  const errors: AptConfError[] = [];
  const stack: string[] = [];
  let buf = '';
  // buf holds only blanks: tracked, not recomputed (buf.trim() per character was quadratic: a
  // 88,000-character line of "x x x …" took 5 s)
  let blank = true;
  // and its last character (buf.endsWith flattened the growing string every time: quadratic too)
  let last = '';
  let bufLine = 0;
  let inQuote = false;
  let line = 1;
  const n = text.length;
  const scoped = (tag: string): string => [...stack, tag].filter(Boolean).join('::');

  const statement = (raw: string, at: number): void => {
    const s = raw.trim();
    if (s === '') return;
    if (s.startsWith('#clear')) {
      const arg = s.slice(6).trim();
      statements.push({ op: 'clear', key: scoped(arg.replace(/::$/, '')), line: at, excerpt: s });
      return;
    }
    if (s.startsWith('#include')) {
      statements.push({
        op: 'include',
        key: s
          .slice(8)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
        line: at,
        excerpt: s,
      });
      return;
    }
    let tag: string;
    let rest: string;
    if (s.startsWith('"')) {
      tag = '';
      rest = s;
    } else {
      const sp = s.indexOf(' ');
      tag = sp < 0 ? s : s.slice(0, sp);
      rest = sp < 0 ? '' : s.slice(sp + 1).trim();
      if (tag.includes('"')) {
        errors.push({ line: at, message: `malformed tag ${JSON.stringify(tag)}` });
        return;
      }
    }
    const v = unquote(rest);
    if (!v.ok) {
      errors.push({ line: at, message: 'unterminated quote' });
      return;
    }
    if (v.rest !== '') {
      errors.push({ line: at, message: `extra junk after value: ${JSON.stringify(v.rest.slice(0, 40))}` });
      return;
    }
    if (tag === '' || tag.endsWith('::')) {
      statements.push({ op: 'append', key: scoped(tag.replace(/::$/, '')), value: v.value, line: at, excerpt: s });
    } else statements.push({ op: 'set', key: scoped(tag), value: v.value, line: at, excerpt: s });
  };

  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inQuote) {
      last = c === '\n' ? ' ' : c;
      buf += last;
      blank = false;
      if (c === '"') inQuote = false;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i + 1 < n && text[i + 1] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop - 1;
      continue;
    }
    if (c === '#' && !text.startsWith('#clear', i) && !text.startsWith('#include', i)) {
      while (i + 1 < n && text[i + 1] !== '\n') i++;
      continue;
    }
    if (c === '"') {
      if (blank) bufLine = line;
      inQuote = true;
      blank = false;
      buf += c;
      last = c;
      continue;
    }
    if (c === ';') {
      statement(buf, bufLine);
      buf = '';
      blank = true;
      continue;
    }
    if (c === '{') {
      const s = buf.trim();
      buf = '';
      blank = true;
      if (s === '') {
        errors.push({ line, message: 'block starts with no name' });
        stack.push('');
        continue;
      }
      const sp = s.indexOf(' ');
      const tag = sp < 0 ? s : s.slice(0, sp);
      if (sp >= 0) statement(s, bufLine); // `Tag "value" {` sets the value and opens the block
      stack.push(tag.replace(/::$/, ''));
      continue;
    }
    if (c === '}') {
      statement(buf, bufLine);
      buf = '';
      blank = true;
      if (stack.length === 0) errors.push({ line, message: 'unmatched "}"' });
      else stack.pop();
      // apt accepts an optional ';' after '}'
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (buf !== '' && last !== ' ') {
        buf += ' ';
        last = ' ';
      }
      continue;
    }
    if (blank) {
      buf = '';
      bufLine = line;
      blank = false;
    }
    buf += c;
    last = c;
  }
  if (inQuote) errors.push({ line: bufLine, message: 'unterminated quote at end of file' });
  else if (buf.trim() !== '')
    errors.push({ line: bufLine, message: `extra junk at end of file: ${JSON.stringify(buf.trim().slice(0, 40))}` });
  if (stack.length > 0) errors.push({ line, message: `${stack.length} block(s) not closed at end of file` });
  return { path, statements, errors };
}

/** Which files of apt.conf.d apt reads (apt.conf(5)): [A-Za-z0-9_.-] names with no or a "conf" extension. */
export function isAptConfPart(name: string): boolean {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return false;
  const dot = name.lastIndexOf('.');
  return dot < 0 || name.slice(dot + 1) === 'conf';
}

export interface AptConfSetting {
  value: string;
  path: string;
  line: number;
  excerpt: string;
}

export interface AptConfMerged {
  /** Scalar values by lower-case key. */
  scalars: Record<string, AptConfSetting>;
  /** List values by lower-case key, in order. */
  lists: Record<string, AptConfSetting[]>;
  /** Every statement that touched a key, by lower-case key (for remediation). */
  writes: Record<string, AptConfSetting[]>;
}

/** Applies parsed files in the order apt reads them; `#clear` drops a key and its children. */
export function mergeAptConf(files: readonly AptConfParse[]): AptConfMerged {
  const scalars: Record<string, AptConfSetting> = {};
  const lists: Record<string, AptConfSetting[]> = {};
  const writes: Record<string, AptConfSetting[]> = {};
  for (const f of files) {
    for (const s of f.statements) {
      if (s.op === 'include') continue;
      const key = s.key.toLowerCase();
      const setting: AptConfSetting = { value: s.op === 'clear' ? '' : s.value, path: f.path, line: s.line, excerpt: s.excerpt };
      (writes[key] ??= []).push(setting);
      if (s.op === 'set') scalars[key] = setting;
      else if (s.op === 'append') (lists[key] ??= []).push(setting);
      else {
        for (const k of Object.keys(scalars)) if (k === key || k.startsWith(key + '::')) delete scalars[k];
        for (const k of Object.keys(lists)) if (k === key || k.startsWith(key + '::')) delete lists[k];
      }
    }
  }
  return { scalars, lists, writes };
}

/** unattended-upgrades' view of an origin (python-apt Origin fields). */
export interface UuOrigin {
  origin: string;
  label: string;
  suite: string;
  codename: string;
  component: string;
  site: string;
}

/** Python's fnmatch (unattended-upgrades' match_whitelist_string): linear, never a backtracking regular expression. */
function fnmatch(pattern: string, value: string): boolean {
  return fnmatchMatcher(pattern)(value);
}

/** string.Template-style ${distro_id} / ${distro_codename} substitution, as unattended-upgrade does. */
export function substituteUu(s: string, macros: { distroId: string; distroCodename: string }): string {
  return s
    .replace(/\$\{distro_id\}|\$distro_id\b/g, macros.distroId)
    .replace(/\$\{distro_codename\}|\$distro_codename\b/g, macros.distroCodename);
}

/** Allowed-Origins "origin:archive" (or "origin archive") in the "o=..,a=.." form unattended-upgrade converts it to. */
export function allowedOriginToPattern(s: string): string | null {
  let id: string;
  let archive: string;
  const parts = s.split(/(?<!\\):/);
  if (parts.length === 2) [id, archive] = [parts[0]!, parts[1]!];
  else {
    const ws = s.trim().split(/\s+/);
    if (ws.length !== 2) return null;
    [id, archive] = [ws[0]!, ws[1]!];
  }
  id = id.replace(/\\:/g, ':').replace(/([^\\]),/g, '$1\\,');
  archive = archive.replace(/([^\\]),/g, '$1\\,');
  return `o=${id},a=${archive}`;
}

/**
 * unattended-upgrade's match_whitelist_string: every key=value token must fnmatch the origin;
 * an empty string matches nothing; an unknown key is an error (unattended-upgrade aborts).
 */
export function matchOriginPattern(pattern: string, o: UuOrigin): boolean | { error: string } {
  const p = pattern.trim();
  if (p === '') return false;
  let res = true;
  for (const token of p.replace(/\\,/g, '%2C').split(',')) {
    const eq = token.split('=');
    if (eq.length !== 2) return { error: `malformed token ${JSON.stringify(token)}` };
    const what = eq[0]!.trim();
    const value = eq[1]!.trim().replace(/%2C/g, ',');
    let field: string;
    if (what === 'o' || what === 'origin') field = o.origin;
    else if (what === 'l' || what === 'label') field = o.label;
    else if (what === 'a' || what === 'suite' || what === 'archive') field = o.suite;
    else if (what === 'c' || what === 'component') field = o.component;
    else if (what === 'site') field = o.site;
    else if (what === 'n' || what === 'codename') field = o.codename;
    else return { error: `unknown matcher ${JSON.stringify(what)}` };
    res = res && fnmatch(value, field);
  }
  return res;
}
