/** login.defs(5): `NAME VALUE` lines, `#` comments. shadow's getdef keeps the last value of a name. */
export interface LoginDefsEntry {
  value: string;
  line: number;
}

export function parseLoginDefs(text: string): Record<string, LoginDefsEntry> {
  const out: Record<string, LoginDefsEntry> = {};
  text.split('\n').forEach((raw, i) => {
    const s = raw.trim();
    if (s === '' || s.startsWith('#')) return;
    const m = /^([A-Za-z0-9_]+)\s+(.*?)\s*$/.exec(s);
    if (!m) return;
    const value = m[2]!.replace(/^"(.*)"$/, '$1');
    out[m[1]!] = { value, line: i + 1 };
  });
  return out;
}
