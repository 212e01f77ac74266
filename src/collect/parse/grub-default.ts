export interface GrubAssignment {
  name: string;
  value: string;
  line: number;
}

/**
 * /etc/default/grub and /etc/default/grub.d/*.cfg are shell fragments sourced in order by
 * grub-mkconfig. This reads the plain assignments (NAME=value, NAME="value", NAME='value'),
 * expanding $NAME / ${NAME} from `env` (earlier files) so `GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX x"`
 * works. Anything else (commands, conditionals) is ignored: not evaluated.
 */
export function parseGrubDefault(
  text: string,
  env: Record<string, string> = {},
): { assignments: GrubAssignment[]; env: Record<string, string> } {
  const out: GrubAssignment[] = [];
  const vars: Record<string, string> = { ...env };
  text.split('\n').forEach((raw, i) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(raw);
    if (!m) return;
    const value = shellValue(m[2]!, vars);
    if (value === null) return;
    vars[m[1]!] = value;
    out.push({ name: m[1]!, value, line: i + 1 });
  });
  return { assignments: out, env: vars };
}

function shellValue(rest: string, vars: Record<string, string>): string | null {
  let s = rest.trim();
  let out = '';
  const expand = (t: string) =>
    t.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a?: string, b?: string) => vars[(a ?? b)!] ?? '');
  while (s.length > 0 && !/^\s|^#/.test(s)) {
    if (s.startsWith('"')) {
      const end = s.indexOf('"', 1);
      if (end < 0) return null;
      out += expand(s.slice(1, end));
      s = s.slice(end + 1);
    } else if (s.startsWith("'")) {
      const end = s.indexOf("'", 1);
      if (end < 0) return null;
      out += s.slice(1, end);
      s = s.slice(end + 1);
    } else if (s.startsWith('`') || s.startsWith('$(')) {
      return null;
    } else {
      const m = /^[^\s"'#`]+/.exec(s);
      if (!m) return null;
      out += expand(m[0]);
      s = s.slice(m[0].length);
    }
  }
  return out;
}

/** Kernel parameters that decide the LSMs (kernel-parameters.txt): apparmor=, security=, lsm=, selinux=, enforcing=. */
export const LSM_PARAMS = ['apparmor', 'security', 'lsm', 'selinux', 'enforcing'] as const;

export function lsmParams(cmdline: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const word of cmdline.split(/\s+/)) {
    const eq = word.indexOf('=');
    if (eq < 0) continue;
    const name = word.slice(0, eq);
    if ((LSM_PARAMS as readonly string[]).includes(name)) out.push({ name, value: word.slice(eq + 1) });
  }
  return out;
}
