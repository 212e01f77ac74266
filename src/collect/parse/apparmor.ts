import type { ProfileCounts } from '../../facts/mac.js';

/** /sys/kernel/security/apparmor/profiles: one "name (mode)" per line. */
export function parseApparmorProfiles(text: string): ProfileCounts {
  const c: ProfileCounts = { enforce: 0, complain: 0, other: 0, complainNames: [] };
  for (const raw of text.split('\n')) {
    const m = /^(.*) \(([a-z_]+)\)\s*$/.exec(raw);
    if (!m) continue;
    if (m[2] === 'enforce') c.enforce++;
    else if (m[2] === 'complain') {
      c.complain++;
      if (c.complainNames.length < 10) c.complainNames.push(m[1]!);
    } else c.other++;
  }
  return c;
}

/** `aa-status --json`: {"profiles": {"name": "enforce", …}}. Null when it is not that shape. */
export function parseAaStatusJson(text: string): ProfileCounts | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const profiles = (data as { profiles?: unknown } | null)?.profiles;
  if (!profiles || typeof profiles !== 'object') return null;
  const lines = Object.entries(profiles as Record<string, unknown>).map(([n, mode]) => `${n} (${String(mode)})`);
  return parseApparmorProfiles(lines.join('\n'));
}

/**
 * The mode a profile file in /etc/apparmor.d declares: complain when a profile header carries
 * flags=(…complain…), else enforce. Null when the file declares no profile (abstractions, tunables).
 */
export function profileFileMode(text: string): 'enforce' | 'complain' | null {
  let found: 'enforce' | 'complain' | null = null;
  for (const raw of text.split('\n')) {
    const s = raw.replace(/#.*$/, '').trim();
    if (!s.endsWith('{')) continue;
    if (!/^(profile\s|\/|@\{|hat\s|\^)/.test(s)) continue;
    const flags = /flags\s*=\s*\(([^)]*)\)/.exec(s);
    if (flags && /\bcomplain\b/.test(flags[1]!)) return 'complain';
    found = 'enforce';
  }
  return found;
}
