import { HistoryStore, StoreError } from '../store/history.js';
import { isInside, resolveStateDir } from '../store/state-dir.js';
import { UsageError } from './errors.js';
import type { Io } from './io.js';

/** Opens the history for reading: a missing store or a store error is a usage error (exit 2). */
export function openForReading(stateDirFlag: string | undefined, io: Io): HistoryStore {
  const { dir } = resolveStateDir(stateDirFlag, io.env, io.cwd);
  try {
    return HistoryStore.open(dir, { create: false });
  } catch (e) {
    if (e instanceof StoreError) throw new UsageError(`${e.message} (audits store their runs there; --state-dir DIR chooses another)`);
    throw e;
  }
}

/**
 * Opens the history store before an audit, so a bad --state-dir fails fast. The default directory
 * (/var/lib/rampart) may be out of reach of an unprivileged user: then the run is not stored, with a
 * warning; a directory the user chose (--state-dir, RAMPART_STATE_DIR) must work.
 */
export function openForAudit(io: Io, flag: string | undefined, root: string | null): HistoryStore | null {
  const { dir, explicit } = resolveStateDir(flag, io.env, io.cwd);
  if (root !== null && root !== '/' && isInside(dir, root))
    throw new UsageError(`--state-dir ${dir} is inside the audited root ${root}: an audit never writes there`);
  try {
    return HistoryStore.open(dir, { create: true });
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    if (explicit) throw new UsageError(`${e.message} (--no-store skips the history)`);
    io.stderr(`rampart: warning: this run is not stored in the history: ${e.message} (--state-dir DIR or --no-store)\n`);
    return null;
  }
}

/** A stored run's score as history and diff show it. */
export function formatScore(s: number | null): string {
  return s === null ? '–' : s.toFixed(1);
}
