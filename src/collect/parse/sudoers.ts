/**
 * sudoers(5), enough of the grammar for the accounts checks: Defaults, the four alias kinds,
 * user specifications (`who host = (runas) TAG: cmnd, … : host = …`), includes, line
 * continuation and comments. Pure; errors are values with 1-based line numbers.
 */
import type { SudoPrincipal } from '../../facts/accounts.js';

export interface SudoersError {
  line: number;
  message: string;
}

export interface DefaultsSetting {
  name: string;
  negated: boolean;
  value: string | null;
}

export interface ParsedCmnd {
  command: string;
  negated: boolean;
  tag: 'nopasswd' | 'passwd' | null;
  runas: string | null;
}

export type AliasKind = 'User_Alias' | 'Runas_Alias' | 'Host_Alias' | 'Cmnd_Alias';

export type SudoersEntry =
  | {
      kind: 'defaults';
      scope: 'global' | 'user' | 'host' | 'runas' | 'cmnd';
      list: string[];
      settings: DefaultsSetting[];
      line: number;
      text: string;
    }
  | { kind: 'alias'; type: AliasKind; name: string; members: string[]; line: number }
  | { kind: 'include'; path: string; dir: boolean; line: number; text: string }
  | { kind: 'userspec'; users: string[]; grants: { hosts: string[]; cmnds: ParsedCmnd[] }[]; line: number; text: string };

export interface ParsedSudoers {
  entries: SudoersEntry[];
  errors: SudoersError[];
}

/** Tags of sudoers(5) Tag_Spec. */
const TAGS = new Set([
  'NOPASSWD',
  'PASSWD',
  'NOEXEC',
  'EXEC',
  'SETENV',
  'NOSETENV',
  'LOG_INPUT',
  'NOLOG_INPUT',
  'LOG_OUTPUT',
  'NOLOG_OUTPUT',
  'MAIL',
  'NOMAIL',
  'FOLLOW',
  'NOFOLLOW',
  'INTERCEPT',
  'NOINTERCEPT',
]);
const OPTION_RE = /^(ROLE|TYPE|CWD|CHROOT|TIMEOUT|NOTBEFORE|NOTAFTER|APPARMOR_PROFILE|PRIVS|LIMITPRIVS)=("[^"]*"|\S+)\s*/;
const ALIAS_NAME_RE = /^[A-Z][A-Z0-9_]*$/;
const ALIAS_KINDS: Record<string, AliasKind> = {
  User_Alias: 'User_Alias',
  Runas_Alias: 'Runas_Alias',
  Host_Alias: 'Host_Alias',
  Cmnd_Alias: 'Cmnd_Alias',
  Cmd_Alias: 'Cmnd_Alias',
};

/** Strips a comment: `#` starts one unless it is escaped, quoted, or a `#123` uid. */
function stripComment(s: string): string {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (c === '#' && !quoted && !/[0-9]/.test(s[i + 1] ?? '')) return s.slice(0, i);
  }
  return s;
}

/** Joins backslash-continued lines; each logical line keeps the number of its first physical line. */
function logicalLines(text: string): { line: number; text: string; raw: string }[] {
  const out: { line: number; text: string; raw: string }[] = [];
  const phys = text.split('\n');
  let buf = '';
  let start = 0;
  phys.forEach((raw, i) => {
    if (buf === '') start = i + 1;
    const l = raw.replace(/\r$/, '');
    if (/(^|[^\\])(\\\\)*\\$/.test(l)) {
      buf += l.slice(0, -1) + ' ';
      return;
    }
    buf += l;
    out.push({ line: start, text: buf, raw: buf });
    buf = '';
  });
  if (buf !== '') out.push({ line: start, text: buf, raw: buf });
  return out;
}

/** Splits on `sep` outside double quotes and parentheses; `\sep` is not a separator. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1]!;
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    if (c === sep && depth === 0 && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t.replace(/\\(.)/g, '$1');
}

function parseDefaults(rest: string): DefaultsSetting[] {
  return splitTop(rest, ',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const m = /^(!*)\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:([+-]?=)\s*(.*))?$/.exec(p);
      if (!m) return { name: p, negated: false, value: null };
      return { name: m[2]!, negated: m[1]!.length % 2 === 1, value: m[4] === undefined ? null : unquote(m[4]) };
    });
}

function isValidCommand(c: string): boolean {
  return (
    c === 'ALL' ||
    ALIAS_NAME_RE.test(c) ||
    c.startsWith('/') ||
    /^sudoedit(\s|$)/.test(c) ||
    c === 'list' ||
    /^(sha224|sha256|sha384|sha512):\S+\s+\//.test(c)
  );
}

function parseCmndList(text: string, line: number, errors: SudoersError[]): ParsedCmnd[] {
  const out: ParsedCmnd[] = [];
  let runas: string | null = null;
  let tag: ParsedCmnd['tag'] = null;
  for (const item of splitTop(text, ',')) {
    let s = item.trim();
    if (s === '') {
      errors.push({ line, message: 'empty command in the command list' });
      continue;
    }
    for (;;) {
      if (s.startsWith('(')) {
        const close = s.indexOf(')');
        if (close < 0) {
          errors.push({ line, message: 'unbalanced parenthesis in the Runas specification' });
          return out;
        }
        runas = s.slice(1, close).trim();
        s = s.slice(close + 1).trim();
        continue;
      }
      const opt = OPTION_RE.exec(s);
      if (opt) {
        s = s.slice(opt[0].length);
        continue;
      }
      const t = /^([A-Z_]+)\s*:\s*/.exec(s);
      if (t) {
        if (!TAGS.has(t[1]!)) {
          errors.push({ line, message: `unknown tag "${t[1]!}:"` });
          return out;
        }
        if (t[1] === 'NOPASSWD') tag = 'nopasswd';
        else if (t[1] === 'PASSWD') tag = 'passwd';
        s = s.slice(t[0].length);
        continue;
      }
      break;
    }
    // [\s\S], not '.': a carriage return or U+2028 in a command made this a null match (found by test/fuzz)
    const m = /^(!*)\s*([\s\S]*)$/.exec(s)!;
    const command = m[2]!.trim();
    if (!isValidCommand(command)) {
      errors.push({ line, message: `not a command: "${command}" (a fully qualified path, ALL, sudoedit or a Cmnd_Alias is expected)` });
      continue;
    }
    out.push({ command, negated: m[1]!.length % 2 === 1, tag, runas });
  }
  return out;
}

/**
 * Splits the grants of a user spec on the `:` that starts a new `Host_List =`. Any other unescaped
 * `:` outside parentheses and tags is a syntax error for sudo (write `\:` in arguments).
 */
function splitGrants(right: string): { parts: string[]; strayColon: string | null } {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  let strayColon: string | null = null;
  for (let i = 0; i < right.length; i++) {
    const c = right[i]!;
    if (c === '\\' && i + 1 < right.length) {
      cur += c + right[i + 1]!;
      i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (c === ':' && depth === 0) {
      const word = /([A-Z_]+)\s*$/.exec(cur)?.[1];
      const digest = /(^|[\s,])(sha224|sha256|sha384|sha512)$/.test(cur);
      if (!(word && TAGS.has(word)) && !digest) {
        if (/^\s*[^=,/()\s][^=/()]*=/.test(right.slice(i + 1))) {
          parts.push(cur);
          cur = '';
          continue;
        }
        strayColon ??=
          word && /(^|[\s,)])[A-Z_]+\s*$/.test(cur)
            ? `unknown tag "${word}:"`
            : 'syntax error: unescaped ":" (escape it as \\: inside a command)';
      }
    }
    cur += c;
  }
  parts.push(cur);
  return { parts, strayColon };
}

function tokens(s: string): string[] {
  return s
    .replace(/\s*,\s*/g, ',')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
}

function parseUserSpec(text: string, line: number, errors: SudoersError[]): SudoersEntry | null {
  const split = splitGrants(text);
  if (split.strayColon) {
    errors.push({ line, message: split.strayColon });
    return null;
  }
  const grantsText = split.parts;
  const first = grantsText[0]!;
  const eq = first.indexOf('=');
  if (eq < 0) {
    errors.push({ line, message: 'syntax error: expected "user host = command"' });
    return null;
  }
  const left = tokens(first.slice(0, eq));
  if (left.length < 2) {
    errors.push({ line, message: 'syntax error: a user specification needs a user list and a host list before "="' });
    return null;
  }
  const users = left[0]!.split(',').map(unquote).filter(Boolean);
  const grants: { hosts: string[]; cmnds: ParsedCmnd[] }[] = [];
  const parts = [left.slice(1).join(',') + '=' + first.slice(eq + 1), ...grantsText.slice(1)];
  for (const part of parts) {
    const e = part.indexOf('=');
    if (e < 0) {
      errors.push({ line, message: 'syntax error: expected "host = command" after ":"' });
      return null;
    }
    const hosts = part
      .slice(0, e)
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    const before = errors.length;
    const cmnds = parseCmndList(part.slice(e + 1), line, errors);
    if (hosts.length === 0 || (cmnds.length === 0 && errors.length === before)) {
      errors.push({ line, message: 'syntax error: empty host or command list' });
      return null;
    }
    grants.push({ hosts, cmnds });
  }
  return { kind: 'userspec', users, grants, line, text: text.trim() };
}

export function parseSudoers(text: string): ParsedSudoers {
  const entries: SudoersEntry[] = [];
  const errors: SudoersError[] = [];
  for (const { line, text: raw } of logicalLines(text)) {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(raw)) {
      errors.push({ line, message: 'line holds control or non-UTF-8 bytes' });
      continue;
    }
    const inc = /^\s*[#@](include|includedir)\s+(.+?)\s*$/.exec(raw);
    if (inc) {
      entries.push({ kind: 'include', dir: inc[1] === 'includedir', path: unquote(inc[2]!), line, text: raw.trim() });
      continue;
    }
    const s = stripComment(raw).trim();
    if (s === '') continue;
    const def = /^Defaults(?:([:@!>])\s*((?:"[^"]*"|[^\s"])+))?(?:\s+(.*))?$/.exec(s);
    if (def) {
      const scope = ({ ':': 'user', '@': 'host', '!': 'cmnd', '>': 'runas' } as const)[def[1] as ':' | '@' | '!' | '>'] ?? 'global';
      if (!def[3]) {
        errors.push({ line, message: 'syntax error: Defaults without settings' });
        continue;
      }
      entries.push({
        kind: 'defaults',
        scope,
        list: def[2] ? def[2].split(',').map(unquote) : [],
        settings: parseDefaults(def[3]),
        line,
        text: s,
      });
      continue;
    }
    const al = /^(User_Alias|Runas_Alias|Host_Alias|Cmnd_Alias|Cmd_Alias)\s+(.*)$/.exec(s);
    if (al) {
      for (const d of splitTop(al[2]!, ':')) {
        const m = /^\s*([^=\s]+)\s*=\s*(.*?)\s*$/.exec(d);
        if (!m || !ALIAS_NAME_RE.test(m[1]!) || m[1] === 'ALL') {
          errors.push({ line, message: `syntax error in ${al[1]!}: alias names are upper case letters, digits and _ (and not ALL)` });
          continue;
        }
        const members = splitTop(m[2]!, ',')
          .map((x) => x.trim())
          .filter(Boolean);
        if (members.length === 0) {
          errors.push({ line, message: `syntax error: ${m[1]!} has no members` });
          continue;
        }
        entries.push({ kind: 'alias', type: ALIAS_KINDS[al[1]!]!, name: m[1]!, members, line });
      }
      continue;
    }
    const spec = parseUserSpec(s, line, errors);
    if (spec) entries.push(spec);
  }
  return { entries, errors };
}

/** sudoers(5) #includedir: files whose names end in ~ or contain a dot are skipped. */
export function isIncludedirName(name: string): boolean {
  return !name.endsWith('~') && !name.includes('.');
}

/** Expands a list through aliases of one kind; `!` negates (twice cancels). Cycles stop. */
export function expandList(
  items: readonly string[],
  aliases: ReadonlyMap<string, readonly string[]>,
  seen: ReadonlySet<string> = new Set(),
): { item: string; negated: boolean }[] {
  const out: { item: string; negated: boolean }[] = [];
  for (const raw of items) {
    const m = /^(!*)\s*([\s\S]*)$/.exec(raw.trim())!;
    const neg = m[1]!.length % 2 === 1;
    const name = m[2]!;
    const members = aliases.get(name);
    if (members && !seen.has(name)) {
      for (const x of expandList(members, aliases, new Set([...seen, name]))) out.push({ item: x.item, negated: x.negated !== neg });
    } else out.push({ item: name, negated: neg });
  }
  return out;
}

export function principalOf(token: string): SudoPrincipal {
  const t = unquote(token);
  if (t === 'ALL') return { kind: 'all', name: 'ALL' };
  if (t.startsWith('%#')) return { kind: 'gid', name: t.slice(2) };
  if (t.startsWith('%:')) return { kind: 'nonunix-group', name: t.slice(2) };
  if (t.startsWith('%')) return { kind: 'group', name: t.slice(1) };
  if (t.startsWith('+')) return { kind: 'netgroup', name: t.slice(1) };
  if (t.startsWith('#')) return { kind: 'uid', name: t.slice(1) };
  return { kind: 'user', name: t };
}
