/**
 * pam.d(5) service files: `[-]type control module [args…]`, `@include FILE`, `#` comments,
 * backslash continuation, `[value=action …]` controls and `[arg with spaces]` arguments. Pure.
 */
export interface PamLine {
  type: string;
  /** `-type`: the line is skipped silently when the module cannot be loaded. */
  optional: boolean;
  control: string;
  /** For include/substack controls the target service; for modules the module path. */
  module: string;
  args: string[];
  line: number;
  text: string;
}

export type PamEntry = PamLine | { type: '@include'; target: string; line: number; text: string };

export interface ParsedPam {
  entries: PamEntry[];
  errors: { line: number; message: string }[];
}

/** Splits on whitespace; `[ … ]` groups (with `\]` escapes) stay one token, brackets kept. */
function pamTokens(s: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    if (s[i] === '[') {
      let j = i + 1;
      while (j < s.length && s[j] !== ']') j += s[j] === '\\' ? 2 : 1;
      if (j >= s.length) return null;
      out.push(s.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < s.length && !/\s/.test(s[j]!)) j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

export function parsePam(text: string): ParsedPam {
  const entries: PamEntry[] = [];
  const errors: { line: number; message: string }[] = [];
  const phys = text.split('\n');
  let buf = '';
  let start = 0;
  for (let i = 0; i < phys.length; i++) {
    const raw = phys[i]!;
    if (buf === '') start = i + 1;
    const noComment = raw.replace(/#.*$/, '');
    if (/\\\s*$/.test(noComment)) {
      buf += noComment.replace(/\\\s*$/, ' ');
      continue;
    }
    const s = (buf + noComment).trim();
    buf = '';
    if (s === '') continue;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(s)) {
      errors.push({ line: start, message: 'line holds control or non-UTF-8 bytes' });
      continue;
    }
    const toks = pamTokens(s);
    if (!toks) {
      errors.push({ line: start, message: 'unterminated "[" in control or argument' });
      continue;
    }
    if (toks[0] === '@include') {
      if (!toks[1]) errors.push({ line: start, message: '@include without a file' });
      else entries.push({ type: '@include', target: toks[1], line: start, text: s });
      continue;
    }
    if (toks.length < 3) {
      errors.push({ line: start, message: 'expected "type control module [arguments]"' });
      continue;
    }
    const optional = toks[0]!.startsWith('-');
    const type = toks[0]!.replace(/^-/, '').toLowerCase();
    if (!['auth', 'account', 'password', 'session'].includes(type)) {
      errors.push({ line: start, message: `unknown module type "${toks[0]!}"` });
      continue;
    }
    entries.push({ type, optional, control: toks[1]!, module: toks[2]!, args: toks.slice(3), line: start, text: s });
  }
  return { entries, errors };
}

/** The actions of a `[value=action …]` control, or the simple keyword's equivalent. */
export function controlActions(control: string): Record<string, string> {
  const simple: Record<string, Record<string, string>> = {
    required: { success: 'ok', new_authtok_reqd: 'ok', ignore: 'ignore', default: 'bad' },
    requisite: { success: 'ok', new_authtok_reqd: 'ok', ignore: 'ignore', default: 'die' },
    sufficient: { success: 'done', new_authtok_reqd: 'done', default: 'ignore' },
    optional: { success: 'ok', new_authtok_reqd: 'ok', default: 'ignore' },
  };
  const s = simple[control];
  if (s) return s;
  const out: Record<string, string> = {};
  for (const pair of control
    .replace(/^\[|\]$/g, '')
    .trim()
    .split(/\s+/)) {
    const [k, v] = pair.split('=');
    if (k && v) out[k.toLowerCase()] = v.toLowerCase();
  }
  return out;
}

/** The basename of a module path: /lib/x86_64-linux-gnu/security/pam_unix.so → pam_unix.so */
export function moduleName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
