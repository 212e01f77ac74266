import { hostname } from 'node:os';
import type { Target } from './types.js';

/** A host name as reports, history, diff and waiver `host:` globs key on it. */
export interface TargetName {
  name: string;
  /** Which source gave it: '--target-name', '/etc/hostname', 'kernel hostname' or 'root path (…)'. */
  from: string;
}

/** RFC 1123 host names are at most 253 characters; a longer line is no host name. */
const MAX_NAME = 253;

/** The name in /etc/hostname (hostname(5): one line; '#' lines are comments), or why there is none. */
function parseHostnameFile(text: string): { ok: true; name: string } | { ok: false; why: string } {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#'));
  if (line === undefined) return { ok: false, why: '/etc/hostname is empty' };
  // eslint-disable-next-line no-control-regex
  if (line.length > MAX_NAME || /[\s\x00-\x1f\x7f/]/.test(line)) return { ok: false, why: '/etc/hostname does not hold a host name' };
  return { ok: true, name: line };
}

/** Checks a --target-name value: one printable word, as a host name or an inventory name. */
export function validTargetName(name: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (name === '' || name.length > MAX_NAME || /[\s\x00-\x1f\x7f]/.test(name))
    return `--target-name must be one word of printable characters (at most ${MAX_NAME}), not ${JSON.stringify(name)}`;
  return null;
}

/**
 * Names the audited target: `--target-name` if given; else its /etc/hostname (an offline root's own,
 * read inside the root); else the kernel's host name (live) or the root path as given (offline, saying why).
 */
export async function nameTarget(target: Target, given: string | undefined, rootAsGiven: string): Promise<TargetName> {
  if (given !== undefined) return { name: given, from: '--target-name' };
  const r = await target.readText('/etc/hostname', { maxBytes: 4096 });
  const parsed = r.ok ? parseHostnameFile(r.text) : { ok: false as const, why: r.message };
  if (parsed.ok) return { name: parsed.name, from: '/etc/hostname' };
  if (target.live) return { name: hostname(), from: 'kernel hostname' };
  return { name: rootAsGiven, from: `root path (${parsed.why}; --target-name NAME names it)` };
}
