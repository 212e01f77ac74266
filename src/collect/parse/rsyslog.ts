/**
 * rsyslog.conf(5), enough to tell where messages go: legacy selector lines (`auth,authpriv.*
 * /var/log/auth.log`, `*.* @@host:port`, `@host`, `:omrelp:host:port`), `if … then` and `&`
 * continuations, RainerScript `action(type="omfwd" target=… port=… protocol=…)` (also omrelp,
 * omfile) spanning lines, `$IncludeConfig` / `include(file=…)`, and `ruleset(name=…) { … }` blocks
 * (actions there only see messages of inputs bound to that ruleset).
 */
import { closingBracket } from './brackets.js';

export interface RsyslogForward {
  host: string;
  port: number | null;
  protocol: 'udp' | 'tcp' | 'relp';
  via: string;
  line: number;
  text: string;
  ruleset: string | null;
}

export interface RsyslogFileRule {
  selector: string;
  file: string;
  line: number;
  text: string;
  ruleset: string | null;
}

export interface RsyslogConf {
  path: string;
  forwards: RsyslogForward[];
  files: RsyslogFileRule[];
  includes: { pattern: string; line: number; optional: boolean }[];
  errors: { line: number; message: string }[];
}

/** Blanks comments (`#` to end of line outside quotes, C comments opened after blank space) keeping offsets and newlines. */
function stripComments(text: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      out += c;
      if (c === '\\' && i + 1 < text.length) out += text[++i]!;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      out += c;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') {
        out += ' ';
        i++;
      }
      if (i < text.length) out += '\n';
    } else if (c === '/' && text[i + 1] === '*' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop - 1;
    } else out += c;
  }
  return out;
}

/** The parameters of `name(...)` starting at `open` (the index of "("): values, end index. */
function readParams(text: string, open: number): { params: Record<string, string>; end: number } | null {
  const end = closingBracket(text, open);
  if (end === -1) return null;
  const params: Record<string, string> = {};
  for (const m of text.slice(open + 1, end).matchAll(/([\w.]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|\[([^\]]*)\]|([^\s)]+))/g)) {
    params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? (m[4] !== undefined ? m[4].replace(/["'\s]/g, '') : undefined) ?? m[5] ?? '';
  }
  return { params, end };
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

/** `@host`, `@@host:port`, `@@(o,z9)[v6]:port;Template`. */
function legacyForward(action: string): { host: string; port: number | null; protocol: 'udp' | 'tcp' } | null {
  const m = /^(@@?)(?:\([^)]*\))?(\[[^\]]+\]|[^@:;\s]+)(?::(\d+))?/.exec(action);
  if (!m) return null;
  return { host: m[2]!.replace(/^\[|\]$/g, '').toLowerCase(), port: m[3] ? Number(m[3]) : null, protocol: m[1] === '@@' ? 'tcp' : 'udp' };
}

const SELECTOR = /^(?:[\w*]+(?:,[\w*]+)*\.!?=?[\w*]+;?)+$/;

export function parseRsyslogConf(text: string, path: string): RsyslogConf {
  const clean = stripComments(text);
  const raw = text.split('\n');
  const forwards: RsyslogForward[] = [];
  const files: RsyslogFileRule[] = [];
  const includes: RsyslogConf['includes'] = [];
  const errors: RsyslogConf['errors'] = [];

  // ruleset(name="x") { … } ranges.
  const rulesets: { name: string; from: number; to: number }[] = [];
  for (const m of clean.matchAll(/\bruleset\s*\(/g)) {
    const p = readParams(clean, m.index + m[0].length - 1);
    if (!p) continue;
    const brace = /^\s*\{/.exec(clean.slice(p.end + 1));
    if (!brace) continue;
    const start = p.end + 1 + brace[0].length - 1;
    const close = closingBracket(clean, start);
    const end = close === -1 ? clean.length : close;
    rulesets.push({ name: p.params.name ?? '?', from: start, to: end });
  }
  const rulesetAt = (offset: number) => rulesets.find((r) => r.from <= offset && offset <= r.to)?.name ?? null;
  const excerpt = (line: number) => (raw[line - 1] ?? '').trim().slice(0, 200);

  // RainerScript action(...) and include(...).
  for (const m of clean.matchAll(/\b(action|include)\s*\(/g)) {
    const p = readParams(clean, m.index + m[0].length - 1);
    const line = lineAt(clean, m.index);
    if (!p) {
      errors.push({ line, message: `${m[1]}( without a closing ")"` });
      continue;
    }
    if (m[1] === 'include') {
      const f = p.params.file;
      if (f) includes.push({ pattern: f, line, optional: p.params.mode === 'optional' });
      continue;
    }
    const type = (p.params.type ?? '').toLowerCase();
    if (type === 'omfwd' || type === 'omrelp') {
      const host = p.params.target ?? '';
      if (!host) {
        errors.push({ line, message: `action(type="${type}") without target=` });
        continue;
      }
      const proto = type === 'omrelp' ? 'relp' : (p.params.protocol ?? 'udp').toLowerCase() === 'tcp' ? 'tcp' : 'udp';
      for (const h of host.split(',').filter(Boolean)) {
        forwards.push({
          host: h.toLowerCase(),
          port: p.params.port ? Number(p.params.port) : null,
          protocol: proto,
          via: `action(type="${type}")`,
          line,
          text: excerpt(line),
          ruleset: rulesetAt(m.index),
        });
      }
    } else if (type === 'omfile' && p.params.file) {
      const lineStart = clean.lastIndexOf('\n', m.index) + 1;
      const selector = clean.slice(lineStart, m.index).trim();
      files.push({ selector, file: p.params.file, line, text: excerpt(line), ruleset: rulesetAt(m.index) });
    }
  }

  // Line-based legacy syntax.
  const lines = clean.split('\n');
  let offset = 0;
  let prevSelector: string | null = null;
  for (const [i, l] of lines.entries()) {
    const n = i + 1;
    const here = offset;
    offset += l.length + 1;
    const t = l.trim();
    if (t === '') continue;
    const inc = /^\$IncludeConfig\s+(\S+)/i.exec(t);
    if (inc) {
      includes.push({ pattern: inc[1]!, line: n, optional: false });
      continue;
    }
    if (t.startsWith('$')) continue;
    let selector: string | null = null;
    let action: string | null = null;
    const sel = /^(\S+)\s+(.+)$/.exec(t);
    const then = /\bthen\s+(.+)$/.exec(t);
    if (sel && SELECTOR.test(sel[1]!)) {
      selector = sel[1]!;
      action = sel[2]!.trim();
    } else if (t.startsWith('&') && prevSelector) {
      selector = prevSelector;
      action = t.slice(1).trim();
    } else if (then) {
      selector = `if: ${t.slice(0, then.index).trim()}`;
      action = then[1]!.trim();
    } else if (t.startsWith(':') && !t.startsWith(':om')) {
      const prop = /^:[^,]+,\s*!?[\w-]+\s*,\s*"(?:[^"\\]|\\.)*"\s+(.+)$/.exec(t);
      if (prop) {
        selector = t.slice(0, t.length - prop[1]!.length).trim();
        action = prop[1]!.trim();
      }
    }
    if (selector === null || action === null) continue;
    prevSelector = selector;
    const rs = rulesetAt(here);
    const fwd = action.startsWith('@') ? legacyForward(action) : null;
    if (fwd) forwards.push({ ...fwd, via: action.startsWith('@@') ? '@@ (TCP)' : '@ (UDP)', line: n, text: excerpt(n), ruleset: rs });
    else if (action.startsWith('@')) errors.push({ line: n, message: `cannot read forwarding target ${JSON.stringify(action)}` });
    const relp = /^:omrelp:(\[[^\]]+\]|[^:;\s]+)(?::(\d+))?/.exec(action);
    if (relp)
      forwards.push({
        host: relp[1]!.replace(/^\[|\]$/g, '').toLowerCase(),
        port: relp[2] ? Number(relp[2]) : null,
        protocol: 'relp',
        via: ':omrelp:',
        line: n,
        text: excerpt(n),
        ruleset: rs,
      });
    const file = /^-?(\/[^\s;]+)/.exec(action);
    if (file && !selector.startsWith('if:')) files.push({ selector, file: file[1]!, line: n, text: excerpt(n), ruleset: rs });
  }
  forwards.sort((a, b) => a.line - b.line);
  files.sort((a, b) => a.line - b.line);
  return { path, forwards, files, includes, errors };
}

/** Which of auth / syslog a selector feeds ("auth,authpriv.*" → auth; "*.*;auth,authpriv.none" → syslog). */
export function selectorKinds(selector: string): ('auth' | 'syslog')[] {
  const parts = selector
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  const included = new Set<string>();
  const excluded = new Set<string>();
  for (const p of parts) {
    const dot = p.lastIndexOf('.');
    if (dot === -1) continue;
    const fac = p.slice(0, dot).split(',');
    const prio = p.slice(dot + 1);
    for (const f of fac) (prio === 'none' || prio === '!*' ? excluded : included).add(f);
  }
  const out: ('auth' | 'syslog')[] = [];
  if (['auth', 'authpriv', '*'].some((f) => included.has(f) && !excluded.has(f)) || included.has('authpriv')) {
    if (!(excluded.has('auth') && excluded.has('authpriv'))) out.push('auth');
  }
  if (included.has('*')) out.push('syslog');
  return out;
}
