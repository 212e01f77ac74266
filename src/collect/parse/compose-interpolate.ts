// Compose Specification, "Interpolation" (compose-spec/compose-spec interpolation.md):
// ${VAR} and $VAR; ${VAR:-default} (unset or empty), ${VAR-default} (unset);
// ${VAR:?err} (unset or empty: error), ${VAR?err} (unset: error); ${VAR:+repl}, ${VAR+repl};
// $$ is a literal $; defaults may themselves be interpolated.

export type InterpolateResult =
  { ok: true; value: string; variables: string[]; unset: string[] } | { ok: false; variable: string | null; reason: string };

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

export function interpolate(text: string, env: Readonly<Record<string, string>>): InterpolateResult {
  const variables: string[] = [];
  const unset: string[] = [];
  const r = expand(text, env, variables, unset);
  return r.ok ? { ok: true, value: r.value, variables, unset } : r;
}

type Expanded = { ok: true; value: string } | { ok: false; variable: string | null; reason: string };

function expand(text: string, env: Readonly<Record<string, string>>, vars: string[], unset: string[]): Expanded {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = matchingBrace(text, i + 1);
      if (end < 0) return { ok: false, variable: null, reason: `invalid interpolation format "${text.slice(i)}": no closing }` };
      const r = braced(text.slice(i + 2, end), env, vars, unset);
      if (!r.ok) return r;
      out += r.value;
      i = end + 1;
      continue;
    }
    const m = NAME.exec(text.slice(i + 1));
    if (!m) {
      // A lone $ (e.g. at the end or before a digit) is kept as is, like compose does.
      out += '$';
      i++;
      continue;
    }
    const name = m[0];
    vars.push(name);
    const v = env[name];
    if (v === undefined) unset.push(name);
    out += v ?? '';
    i += 1 + name.length;
  }
  return { ok: true, value: out };
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return -1;
}

function braced(inner: string, env: Readonly<Record<string, string>>, vars: string[], unset: string[]): Expanded {
  const m = NAME.exec(inner);
  if (!m) return { ok: false, variable: null, reason: `invalid interpolation format "\${${inner}}"` };
  const name = m[0];
  vars.push(name);
  const rest = inner.slice(name.length);
  const v = env[name];
  if (rest === '') {
    if (v === undefined) unset.push(name);
    return { ok: true, value: v ?? '' };
  }
  const op = /^(:?[-?+])/.exec(rest);
  if (!op?.[1]) return { ok: false, variable: name, reason: `invalid interpolation format "\${${inner}}"` };
  const colon = op[1].startsWith(':');
  const kind = op[1].slice(-1);
  const arg = rest.slice(op[1].length);
  const missing = v === undefined || (colon && v === '');
  if (kind === '-') return missing ? expand(arg, env, vars, unset) : { ok: true, value: v ?? '' };
  if (kind === '+') return missing ? { ok: true, value: '' } : expand(arg, env, vars, unset);
  // '?': required variable.
  if (!missing) return { ok: true, value: v ?? '' };
  const msg = expand(arg, env, vars, unset);
  const detail = msg.ok && msg.value !== '' ? `: ${msg.value}` : '';
  return { ok: false, variable: name, reason: `required variable ${name} is ${v === undefined ? 'missing' : 'empty'}${detail}` };
}

/**
 * A dotenv file as compose reads it (compose-spec 05-services.md env_file format): KEY=VAL lines,
 * `#` comments, optional `export `, quoted values. Values are returned for interpolation only and
 * must never be stored in facts.
 */
export function parseDotenv(text: string): {
  values: Record<string, string>;
  names: string[];
  errors: { line: number; message: string }[];
} {
  const values: Record<string, string> = {};
  const names: string[] = [];
  const errors: { line: number; message: string }[] = [];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const raw = (lines[n] ?? '').trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const line = raw.replace(/^export\s+/, '');
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    if (!/^[_a-zA-Z][_a-zA-Z0-9.-]*$/.test(key)) {
      errors.push({ line: n + 1, message: `not a KEY=VALUE line (key "${key.slice(0, 40)}")` });
      continue;
    }
    if (eq < 0) continue;
    let val = line.slice(eq + 1).trim();
    const q = val[0];
    if ((q === '"' || q === "'") && val.length >= 2 && val.endsWith(q)) {
      val = val.slice(1, -1);
      if (q === '"') val = val.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      val = val.replace(/\s+#.*$/, '');
    }
    if (!(key in values)) names.push(key);
    values[key] = val;
  }
  return { values, names, errors };
}
