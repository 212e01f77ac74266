import { componentMatcher, hasWildcard } from '../../util/glob.js';

/** One nginx directive with its block (null for a simple directive), 1-based line. */
export interface NginxDirective {
  name: string;
  args: string[];
  path: string;
  line: number;
  block: NginxDirective[] | null;
}

export interface NginxParseError {
  path: string;
  line: number;
  message: string;
}

export interface NginxParsed {
  directives: NginxDirective[];
  errors: NginxParseError[];
}

type Tok = { t: 'word'; v: string; line: number } | { t: '{' | '}' | ';'; line: number };

function tokenize(text: string, path: string, errors: NginxParseError[]): Tok[] {
  const out: Tok[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  /** The next '}' at or after the last `${` (-1: none left, -2: not searched yet). */
  let close = -2;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '{' || c === '}' || c === ';') {
      out.push({ t: c, line });
      i++;
    } else if (c === '"' || c === "'") {
      const start = line;
      let v = '';
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < n) {
          const nx = text[i + 1]!;
          v += nx === c || nx === '\\' ? nx : `\\${nx}`;
          i += 2;
          continue;
        }
        if (text[i] === '\n') line++;
        v += text[i];
        i++;
      }
      if (i >= n) errors.push({ path, line: start, message: 'unterminated quoted string' });
      i++;
      out.push({ t: 'word', v, line: start });
    } else {
      let v = '';
      while (i < n) {
        const d = text[i]!;
        if (d === '$' && text[i + 1] === '{') {
          // the next '}' is searched once and reused (a search per `${` was quadratic on `a ${b a ${b …`)
          if (close !== -1 && close < i) close = text.indexOf('}', i);
          const end = close;
          // an unclosed `${` is part of the word (a `break` here made no progress: an endless loop of
          // empty words to out-of-memory on `I.${CB`, found by npm run fuzz -- --runs 100000)
          if (end < 0) {
            v += '${';
            i += 2;
            continue;
          }
          v += text.slice(i, end + 1);
          i = end + 1;
          continue;
        }
        // ngx_conf_read_token ends a word at space, tab, CR, LF, ';', '{', '}' only: a vertical tab, form
        // feed or NO-BREAK SPACE is part of the word (was /\s/: an empty word and no progress, forever).
        if (d === ' ' || d === '\t' || d === '\r' || d === '\n' || d === ';' || d === '{' || d === '}') break;
        if (d === '\\' && i + 1 < n) {
          v += text.slice(i, i + 2);
          i += 2;
          continue;
        }
        v += d;
        i++;
      }
      out.push({ t: 'word', v, line });
    }
  }
  return out;
}

/** Parses one nginx configuration file (no include expansion). Errors are values. */
export function parseNginxConfig(text: string, path: string): NginxParsed {
  const errors: NginxParseError[] = [];
  const toks = tokenize(text, path, errors);
  const root: NginxDirective[] = [];
  const stack: NginxDirective[][] = [root];
  let words: { v: string; line: number }[] = [];
  for (const tok of toks) {
    const cur = stack[stack.length - 1]!;
    if (tok.t === 'word') words.push({ v: tok.v, line: tok.line });
    else if (tok.t === ';') {
      if (words.length === 0) errors.push({ path, line: tok.line, message: 'unexpected ";"' });
      else cur.push({ name: words[0]!.v, args: words.slice(1).map((w) => w.v), path, line: words[0]!.line, block: null });
      words = [];
    } else if (tok.t === '{') {
      if (words.length === 0) {
        errors.push({ path, line: tok.line, message: 'unexpected "{"' });
        words = [];
        continue;
      }
      const d: NginxDirective = { name: words[0]!.v, args: words.slice(1).map((w) => w.v), path, line: words[0]!.line, block: [] };
      cur.push(d);
      stack.push(d.block!);
      words = [];
    } else {
      if (words.length > 0)
        errors.push({ path, line: tok.line, message: `unexpected "}" (directive "${words[0]!.v}" is not terminated by ";")` });
      words = [];
      if (stack.length === 1) errors.push({ path, line: tok.line, message: 'unexpected "}"' });
      else stack.pop();
    }
  }
  const last = toks[toks.length - 1]?.line ?? 1;
  if (words.length > 0) errors.push({ path, line: words[0]!.line, message: 'unexpected end of file, expecting ";" or "}"' });
  else if (stack.length > 1) errors.push({ path, line: last, message: 'unexpected end of file, expecting "}"' });
  return { directives: root, errors };
}

/** `nginx -T` output: each file after a "# configuration file PATH:" line. */
export function parseNginxDump(text: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const re = /^# configuration file (.+):$/gm;
  const heads = [...text.matchAll(re)];
  for (const [k, m] of heads.entries()) {
    const start = m.index + m[0].length + 1;
    const end = heads[k + 1]?.index ?? text.length;
    out.push({ path: m[1]!, text: text.slice(start, end) });
  }
  return out;
}

/** The file:line of an `nginx -t` error ("nginx: [emerg] … in /etc/nginx/x.conf:12"). */
export function parseNginxError(stderr: string): { message: string; path: string | null; line: number | null } | null {
  // "nginx: [emerg] …" or, once error logging is set up, "2026/11/28 08:53:28 [emerg] 31220#31220: …".
  const m = /(?:^nginx: |^\d{4}\/\d\d\/\d\d [\d:]+ )\[(emerg|alert|crit)\] (?:\d+#\d+: )?(.+?)(?: in (\/\S+?):(\d+))?\s*$/m.exec(stderr);
  if (!m) return null;
  return { message: m[2]!, path: m[3] ?? null, line: m[4] ? Number(m[4]) : null };
}

/** Glob match over a list of known paths (for includes resolved against an `nginx -T` dump). */
export function globPaths(pattern: string, paths: string[]): string[] {
  const parts = pattern.split('/');
  if (!parts.some(hasWildcard)) return paths.filter((p) => p === pattern);
  const ms = parts.map((c) => (hasWildcard(c) ? componentMatcher(c) : (x: string) => x === c));
  return paths
    .filter((p) => {
      const q = p.split('/');
      return q.length === ms.length && q.every((c, i) => ms[i]!(c));
    })
    .sort();
}
