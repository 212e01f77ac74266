import type { FileType, Target } from '../target/types.js';

/** Where systemd looks for unit files, highest precedence first. */
export const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'] as const;

export interface WantsLink {
  /** <dir>/<target>.wants/<unit> */
  path: string;
  /** What the link leads to (stat, followed); null when it is dangling (or, inside an offline root, leads to /dev/null). */
  type: FileType | null;
}

/**
 * The "enabled at boot" symlinks of a unit (`systemctl enable` links it into <target>.wants/), read
 * from the files: PID 1 may not be systemd, or the target may be an offline root. `unit` may hold
 * glob wildcards (redis-server@*.service). With `targets`, only those <target>.wants directories are
 * looked at, in that order; without, every *.wants directory (lexical order). A link is listed
 * whether or not it resolves (lstat); `type` says what it leads to.
 */
export async function wantsLinks(
  t: Target,
  unit: string,
  opts: { dirs?: readonly string[]; targets?: readonly string[] } = {},
): Promise<WantsLink[]> {
  const out: WantsLink[] = [];
  for (const dir of opts.dirs ?? ['/etc/systemd/system']) {
    const paths = opts.targets
      ? (await Promise.all(opts.targets.map((w) => t.glob(`${dir}/${w}.wants/${unit}`)))).flat()
      : await t.glob(`${dir}/*.wants/${unit}`);
    for (const path of paths) {
      const s = await t.stat(path);
      out.push({ path, type: s.ok ? s.type : null });
    }
  }
  return out;
}

/** Where a mask (`systemctl mask`, or a runtime mask) lives: these shadow every unit directory below. */
const MASK_DIRS = ['/etc/systemd/system', '/run/systemd/system'] as const;

/**
 * Whether `unit` is masked: a symlink to /dev/null (a char device live; inside an offline root it
 * leads nowhere, as the root has no /dev/null), a dangling symlink or an empty file in /etc or /run
 * shadows the unit, and systemd will not start it at boot whatever its *.wants/ links say.
 */
export async function unitMask(t: Target, unit: string): Promise<{ path: string; note: string } | null> {
  for (const dir of MASK_DIRS) {
    const path = `${dir}/${unit}`;
    const l = await t.lstat(path);
    if (!l.ok) continue;
    const s = await t.stat(path);
    if (s.ok && s.type === 'char') return { path, note: `${unit} is masked (symlink to /dev/null)` };
    if (l.type === 'symlink' && !s.ok)
      return { path, note: `${unit} is masked: a symlink that leads nowhere inside the target (/dev/null, or dangling)` };
    if (s.ok && s.type === 'file' && s.size === 0) return { path, note: `${unit} is masked (an empty unit file)` };
    return null;
  }
  return null;
}
