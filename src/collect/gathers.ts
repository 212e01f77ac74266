import { DPKG_STATUS } from './dpkg.js';
import { UNIT_DIRS } from './host/units.js';
import type { Gathers } from './types.js';

/** Declarations several collectors share (collect/batch.ts unions and deduplicates them). */

/** dpkg's status database, read whole by collect/dpkg.ts. */
export const DPKG_GATHER = { path: DPKG_STATUS, maxBytes: 256 * 1024 * 1024 } as const;

/** /etc/passwd and /etc/group, read whole. */
export const ACCOUNT_DB_GATHERS = [
  { path: '/etc/passwd', maxBytes: 32 * 1024 * 1024 },
  { path: '/etc/group', maxBytes: 32 * 1024 * 1024 },
] as const;

/**
 * A systemd unit's files as the collectors probe them: the unit file in every unit directory and its
 * "enabled at boot" links (<dir>/*.wants/<unit>), stat and lstat only.
 */
export function unitGathers(...units: string[]): Gathers {
  return {
    paths: [...units.flatMap((u) => UNIT_DIRS.map((d) => `${d}/${u}`)), ...UNIT_DIRS.map((d) => `${d}/default.target`)],
    globs: [
      ...units.flatMap((u) => UNIT_DIRS.map((d) => ({ pattern: `${d}/*.wants/${u}`, read: false }))),
      // collect/host/units.ts lists every enable link once per run (boot state of any unit).
      ...UNIT_DIRS.flatMap((d) => [
        { pattern: `${d}/*.wants/*`, read: false },
        { pattern: `${d}/*.requires/*`, read: false },
      ]),
    ],
  };
}

/** Several declarations as one (a collector's own list and shared ones). */
export function gathersOfAll(...gs: readonly Gathers[]): Gathers {
  return {
    files: gs.flatMap((g) => g.files ?? []),
    paths: gs.flatMap((g) => g.paths ?? []),
    globs: gs.flatMap((g) => g.globs ?? []),
    dirs: gs.flatMap((g) => g.dirs ?? []),
    commands: gs.flatMap((g) => g.commands ?? []),
  };
}
