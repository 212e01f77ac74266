/**
 * postgresql.conf lexer and parser, after PostgreSQL's src/backend/utils/misc/guc-file.l
 * (ParseConfigFp): one `name [=] value` per line, `#` comments, names case-insensitive
 * (ID or QUALIFIED_ID), values quoted ('…' with '' and backslash escapes) or unquoted
 * (ID, INTEGER with unit letters, REAL, UNQUOTED_STRING). `include`, `include_if_exists` and
 * `include_dir` are returned as directives; the caller expands them.
 */

export interface PgConfEntry {
  /** Lower-cased parameter name. */
  name: string;
  /** The value after de-quoting. */
  value: string;
  path: string;
  line: number;
  /** The line as written, comment stripped (no secret is configured in postgresql.conf). */
  excerpt: string;
}

export interface PgConfError {
  path: string;
  line: number;
  message: string;
}

export interface PgConfFile {
  path: string;
  entries: PgConfEntry[];
  errors: PgConfError[];
}

const ID = String.raw`[A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*`;
const TOKENS: [kind: string, re: RegExp][] = [
  ['string', /^'(?:[^'\\\n]|\\.|'')*'/],
  ['qualified', new RegExp(`^${ID}\\.${ID}`)],
  ['unquoted', new RegExp(String.raw`^[A-Za-z_\u0080-\uffff](?:[A-Za-z_0-9\u0080-\uffff]|[-._:/])*`)],
  ['real', /^[-+]?\d*\.\d*(?:[Ee][-+]?\d+)?/],
  ['integer', /^[-+]?(?:0x[0-9a-fA-F]+|\d+)[a-zA-Z]*/],
  ['equals', /^=/],
];

interface Token {
  kind: string;
  text: string;
}

function tokenize(line: string): Token[] | { error: string } {
  const out: Token[] = [];
  let rest = line;
  for (;;) {
    rest = rest.replace(/^[ \t\r]+/, '');
    if (rest === '' || rest.startsWith('#')) return out;
    let hit: Token | null = null;
    for (const [kind, re] of TOKENS) {
      const m = re.exec(rest);
      // flex takes the longest match; "1.5" is REAL although INTEGER matches "1".
      if (m && m[0].length > 0 && (!hit || m[0].length > hit.text.length)) hit = { kind, text: m[0] };
    }
    if (!hit) return { error: `near token "${rest.split(/[ \t]/)[0] ?? rest}"` };
    out.push(hit);
    rest = rest.slice(hit.text.length);
  }
}

/** DeescapeQuotedString: strips the quotes, '' → ', \b \f \n \r \t, octal \ooo, \x → x. */
export function deescapePgString(s: string): string {
  const body = s.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) {
      const n = body[++i]!;
      const map: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (map[n] !== undefined) out += map[n];
      else if (/[0-7]/.test(n)) {
        let oct = n;
        while (oct.length < 3 && /[0-7]/.test(body[i + 1] ?? '')) oct += body[++i]!;
        out += String.fromCharCode(parseInt(oct, 8));
      } else out += n;
    } else if (c === "'" && body[i + 1] === "'") {
      out += "'";
      i++;
    } else out += c;
  }
  return out;
}

function stripComment(line: string): string {
  let inQuote = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inQuote && c === '\\') i++;
    else if (c === "'") inQuote = !inQuote;
    else if (c === '#' && !inQuote) return line.slice(0, i).trim();
  }
  return line.trim();
}

/** Parses one configuration file; errors are values (PostgreSQL refuses a file with any). */
export function parsePgConf(text: string, path: string): PgConfFile {
  const entries: PgConfEntry[] = [];
  const errors: PgConfError[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    const toks = tokenize(raw);
    if ('error' in toks) {
      errors.push({ path, line, message: `syntax error in file "${path}" line ${line}, ${toks.error}` });
      continue;
    }
    if (toks.length === 0) continue;
    const [name, ...rest] = toks;
    const valueToks = rest[0]?.kind === 'equals' ? rest.slice(1) : rest;
    const value = valueToks[0];
    const nameOk = name && (name.kind === 'unquoted' || name.kind === 'qualified') && new RegExp(`^${ID}(\\.${ID})?$`).test(name.text);
    if (!nameOk || !value || value.kind === 'equals' || value.kind === 'qualified' || valueToks.length > 1) {
      const near = !nameOk ? name?.text : !value ? 'end of line' : (valueToks[1]?.text ?? value.text);
      errors.push({
        path,
        line,
        message: `syntax error in file "${path}" line ${line}, near ${near === 'end of line' ? 'end of line' : `token "${near ?? ''}"`}`,
      });
      continue;
    }
    entries.push({
      name: name.text.toLowerCase(),
      value: value.kind === 'string' ? deescapePgString(value.text) : value.text,
      path,
      line,
      excerpt: stripComment(raw),
    });
  }
  return { path, entries, errors };
}

/** parse_bool (src/backend/utils/adt/bool.c): on/off, true/false, yes/no, 1/0 and unique prefixes. */
export function parsePgBool(v: string): boolean | null {
  const s = v.trim().toLowerCase();
  if (s === '') return null;
  if (s === '1') return true;
  if (s === '0') return false;
  if ('true'.startsWith(s) || 'yes'.startsWith(s)) return true;
  if ('false'.startsWith(s) || 'no'.startsWith(s)) return false;
  if (s === 'on') return true;
  if (s.length >= 2 && 'off'.startsWith(s)) return false;
  return null;
}

/** SplitIdentifierString / SplitDirectoriesString for list settings: comma-separated, optionally double-quoted. */
export function splitPgList(v: string): string[] {
  const out: string[] = [];
  for (const part of v.match(/("([^"]|"")*"|[^,])+/g) ?? []) {
    const t = part.trim();
    if (t === '') continue;
    out.push(t.length > 1 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t);
  }
  return out;
}
