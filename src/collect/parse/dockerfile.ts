// Dockerfile reference (docs.docker.com/reference/dockerfile): instructions are case-insensitive,
// a trailing escape character (\ or the `# escape=` directive) continues a line, comment lines inside
// a continuation are dropped; FROM image [AS name] starts a stage; ARG before the first FROM is global
// (usable in FROM, and in a stage only after a bare `ARG NAME`); USER applies to the rest of the stage
// and to stages built FROM it.

export interface DockerInstruction {
  keyword: string;
  args: string;
  line: number;
}

export interface DockerStage {
  name: string | null;
  /** The FROM argument after substitution (an image or an earlier stage's name). */
  from: string;
  line: number;
  instructions: DockerInstruction[];
}

export interface ParsedDockerfile {
  globalArgs: DockerInstruction[];
  stages: DockerStage[];
  errors: { line: number; message: string }[];
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.split(/\r?\n/);
  let escape = '\\';
  for (const l of lines) {
    const m = /^#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(l);
    if (!m) break;
    if (m[1]?.toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }
  const instructions: DockerInstruction[] = [];
  const errors: { line: number; message: string }[] = [];
  let buf = '';
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const trimmed = raw.trim();
    if (buf === '' && (trimmed === '' || trimmed.startsWith('#'))) continue;
    if (buf !== '' && trimmed.startsWith('#')) continue;
    if (buf === '') start = i + 1;
    const cont = raw.replace(/\s+$/, '').endsWith(escape);
    buf += cont ? raw.replace(/\s+$/, '').slice(0, -1) + ' ' : raw;
    if (cont && i < lines.length - 1) continue;
    const m = /^\s*([A-Za-z]+)(?:\s+([\s\S]*))?$/.exec(buf);
    if (m?.[1]) instructions.push({ keyword: m[1].toUpperCase(), args: (m[2] ?? '').trim(), line: start });
    else errors.push({ line: start, message: `not an instruction: "${buf.trim().slice(0, 60)}"` });
    buf = '';
  }
  const globalArgs: DockerInstruction[] = [];
  const stages: DockerStage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const parts = ins.args.split(/\s+/).filter((p) => !p.startsWith('--platform'));
      const asIdx = parts.findIndex((p) => p.toUpperCase() === 'AS');
      stages.push({ name: asIdx >= 0 ? (parts[asIdx + 1] ?? null) : null, from: parts[0] ?? '', line: ins.line, instructions: [] });
      continue;
    }
    const cur = stages[stages.length - 1];
    if (cur) cur.instructions.push(ins);
    else if (ins.keyword === 'ARG') globalArgs.push(ins);
    else errors.push({ line: ins.line, message: `${ins.keyword} before the first FROM` });
  }
  if (stages.length === 0) errors.push({ line: 1, message: 'no FROM instruction' });
  return { globalArgs, stages, errors };
}

/** Shell-style ${VAR}, $VAR, ${VAR:-x}, ${VAR:+x} substitution as the Dockerfile applies it. */
export function substitute(text: string, vars: Readonly<Record<string, string>>, unresolved: string[]): string {
  return text.replace(
    /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (all, b?: string, op?: string, word?: string, plain?: string) => {
      if (all === '\\$') return '$';
      const name = (b ?? plain) as string;
      const v = vars[name];
      if (op === '-') return v !== undefined && v !== '' ? v : (word ?? '');
      if (op === '+') return v !== undefined && v !== '' ? (word ?? '') : '';
      if (v === undefined) unresolved.push(name);
      return v ?? '';
    },
  );
}

/** ARG/ENV arguments: `NAME`, `NAME=value`, several `A=1 B=2`, or legacy `ENV NAME value`. */
function assignments(args: string, keyword: string): [string, string | null][] {
  if (keyword === 'ENV' && !/^[^\s=]+=/.test(args)) {
    const m = /^(\S+)\s+(.*)$/.exec(args);
    return m?.[1] ? [[m[1], unquote(m[2] ?? '')]] : [];
  }
  const out: [string, string | null][] = [];
  const re = /([^\s=]+)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g;
  for (const m of args.matchAll(re)) if (m[1]) out.push([m[1], m[2] === undefined ? null : unquote(m[2])]);
  return out;
}

const unquote = (s: string): string => (/^(["']).*\1$/.test(s) ? s.slice(1, -1) : s);

export interface DockerfileUser {
  /** The last USER of the built stage (after substitution); null = none (the base image's user, root for most). */
  user: string | null;
  line: number | null;
  /** The stage that is built (the target, else the last). */
  stage: string;
  /** External images the built stage depends on (FROM lines that are not earlier stages or scratch). */
  baseImages: { image: string; line: number }[];
  unresolved: string[];
  error: string | null;
}

/** The user the image built from this Dockerfile runs as, following FROM <stage> chains. */
export function dockerfileUser(df: ParsedDockerfile, buildArgs: Readonly<Record<string, string>>, target: string | null): DockerfileUser {
  const unresolved: string[] = [];
  const globals: Record<string, string> = {};
  for (const a of df.globalArgs)
    for (const [k, v] of assignments(a.args, 'ARG')) {
      const val = buildArgs[k] ?? (v === null ? undefined : substitute(v, globals, unresolved));
      if (val !== undefined) globals[k] = val;
    }
  const idx = target === null ? df.stages.length - 1 : df.stages.findIndex((s) => s.name?.toLowerCase() === target.toLowerCase());
  if (idx < 0)
    return {
      user: null,
      line: null,
      stage: target ?? '',
      baseImages: [],
      unresolved,
      error: target === null ? 'no FROM instruction' : `no stage named "${target}"`,
    };

  const resolveStage = (
    i: number,
    seen: Set<number>,
  ): { user: string | null; line: number | null; env: Record<string, string>; bases: { image: string; line: number }[] } => {
    const st = df.stages[i];
    if (!st || seen.has(i)) return { user: null, line: null, env: {}, bases: [] };
    seen.add(i);
    const from = substitute(st.from, globals, unresolved);
    const parentIdx = df.stages.findIndex((s, j) => j < i && s.name !== null && s.name.toLowerCase() === from.toLowerCase());
    const parent = parentIdx >= 0 ? resolveStage(parentIdx, seen) : null;
    let user = parent?.user ?? null;
    let line = parent?.line ?? null;
    const env: Record<string, string> = { ...(parent?.env ?? {}) };
    const bases = parent ? [...parent.bases] : from.toLowerCase() === 'scratch' ? [] : [{ image: from, line: st.line }];
    const scope = (): Record<string, string> => ({ ...env });
    for (const ins of st.instructions) {
      if (ins.keyword === 'ARG' || ins.keyword === 'ENV') {
        for (const [k, v] of assignments(ins.args, ins.keyword)) {
          const val =
            ins.keyword === 'ARG'
              ? (buildArgs[k] ?? (v === null ? globals[k] : substitute(v, scope(), unresolved)))
              : substitute(v ?? '', scope(), unresolved);
          if (val !== undefined) env[k] = val;
        }
      } else if (ins.keyword === 'USER') {
        user = substitute(ins.args.trim(), scope(), unresolved);
        line = ins.line;
      } else if (ins.keyword === 'COPY' || ins.keyword === 'RUN') {
        // COPY --from=<image> pulls an external image too.
        const m = /--from=(\S+)/.exec(ins.args);
        const ref = m?.[1];
        if (ref && !/^\d+$/.test(ref) && !df.stages.some((s) => s.name?.toLowerCase() === ref.toLowerCase()))
          bases.push({ image: ref, line: ins.line });
      }
    }
    return { user, line, env, bases };
  };
  const r = resolveStage(idx, new Set());
  const st = df.stages[idx];
  return {
    user: r.user,
    line: r.line,
    stage: st?.name ?? `#${idx}`,
    baseImages: r.bases,
    unresolved: [...new Set(unresolved)],
    error: null,
  };
}
