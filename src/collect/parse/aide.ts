export type AideDirective =
  | { kind: 'option'; name: string; value: string; line: number }
  | { kind: 'define'; name: string; value: string; line: number }
  | { kind: 'undef'; name: string; line: number }
  | { kind: 'if'; test: 'ifdef' | 'ifndef' | 'ifhost' | 'ifnhost'; name: string; line: number }
  | { kind: 'else'; line: number }
  | { kind: 'endif'; line: number }
  /** @@include FILE, or @@include DIR REGEX / @@x_include DIR REGEX (x: executable files are run). */
  | { kind: 'include'; path: string; regex: string | null; x: boolean; line: number };

export interface ParsedAideConf {
  directives: AideDirective[];
  errors: { message: string; line: number }[];
}

/**
 * The directives of an aide.conf (aide.conf(5), AIDE 0.18) that decide where the database is:
 * options (name=value), macros (@@define/@@undef, @@{VAR} expansion happens when evaluating),
 * conditionals and includes. Selection lines (/path Group, !/path, =/path) are skipped.
 */
export function parseAideConf(text: string): ParsedAideConf {
  const directives: AideDirective[] = [];
  const errors: ParsedAideConf['errors'] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (!s || s.startsWith('#')) return;
    const d = /^@@(\w+)\s*(.*)$/.exec(s);
    if (d) {
      const [word, rest] = [d[1]!, d[2]!.trim()];
      const args = rest ? rest.split(/\s+/) : [];
      if (word === 'define' && args[0]) directives.push({ kind: 'define', name: args[0], value: args.slice(1).join(' '), line });
      else if (word === 'undef' && args[0]) directives.push({ kind: 'undef', name: args[0], line });
      else if ((word === 'ifdef' || word === 'ifndef' || word === 'ifhost' || word === 'ifnhost') && args[0])
        directives.push({ kind: 'if', test: word, name: args[0], line });
      else if (word === 'else') directives.push({ kind: 'else', line });
      else if (word === 'endif') directives.push({ kind: 'endif', line });
      else if ((word === 'include' || word === 'x_include') && args[0])
        directives.push({ kind: 'include', path: args[0], regex: args[1] ?? null, x: word === 'x_include', line });
      else if (word === 'x_include_setenv' || word === '{') return;
      else if (!word.startsWith('{')) errors.push({ message: `unknown or incomplete directive @@${word}`, line });
      return;
    }
    if (/^[!=/@]/.test(s)) return;
    const o = /^([A-Za-z_][\w]*)\s*=\s*(.*)$/.exec(s);
    if (o) directives.push({ kind: 'option', name: o[1]!, value: o[2]!.trim(), line });
  });
  return { directives, errors };
}

/** Expands @@{VAR} with the defined macros; unknown ones stay as they are (aide reports them). */
export function expandAideMacros(value: string, defines: Record<string, string>): string {
  return value.replace(/@@\{(\w+)\}/g, (m, name: string) => defines[name] ?? m);
}

/** The file path of a database URL (file:/var/lib/aide/aide.db); null for stdin/fd/other schemes. */
export function aideDatabasePath(url: string): string | null {
  const m = /^file:(.+)$/.exec(url.trim());
  if (m) return m[1]!;
  return url.startsWith('/') ? url : null;
}
