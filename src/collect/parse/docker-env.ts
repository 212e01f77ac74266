// Where a deploying environment sets a variable: systemd `Environment=` lines (systemd.exec(5):
// space-separated assignments, quotes allowed), /etc/environment (pam_env: KEY=VALUE), and shell
// profiles (`export KEY=VALUE`, `KEY=VALUE`). Only the named variable is returned: other values stay out.

export interface EnvAssignment {
  value: string;
  line: number;
}

const unquote = (s: string): string => (/^(["']).*\1$/.test(s) ? s.slice(1, -1) : s);

export function findEnvAssignments(text: string, name: string, kind: 'systemd' | 'environment' | 'shell'): EnvAssignment[] {
  const out: EnvAssignment[] = [];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] ?? '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (kind === 'systemd') {
      const m = /^Environment\s*=\s*(.*)$/.exec(line);
      if (!m) continue;
      for (const tok of (m[1] ?? '').match(/"[^"]*"|'[^']*'|\S+/g) ?? []) {
        const a = unquote(tok);
        if (a.startsWith(`${name}=`)) out.push({ value: unquote(a.slice(name.length + 1)), line: n + 1 });
      }
      continue;
    }
    const re =
      kind === 'shell' ? new RegExp(`(?:^|[;&\\s])(?:export\\s+)?${name}=("[^"]*"|'[^']*'|[^\\s;&]*)`) : new RegExp(`^${name}=(.*)$`);
    const m = re.exec(line);
    if (m) out.push({ value: unquote((m[1] ?? '').trim()), line: n + 1 });
  }
  return out;
}
