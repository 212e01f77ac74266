import { UsageError } from './errors.js';
import type { Io } from './io.js';

/**
 * The one clock of the CLI: `--now` when given, else RAMPART_NOW from the environment (replaying an
 * audit, the suite run with the clock moved), else the real time. Commands judge "today" only
 * through it, so a test that records a date passes --now and does not turn red on a later day.
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

export function clockOf(io: Pick<Io, 'env'>, flag: string | undefined): { now: Date; given: boolean } {
  const spec = flag ?? io.env.RAMPART_NOW;
  if (spec === undefined || spec === '') return { now: new Date(), given: false };
  const name = flag !== undefined ? '--now' : 'RAMPART_NOW';
  // ISO 8601 only: Date's legacy parser turns "12" into 2001-12-01 and "March 5" into a local date.
  const d = ISO_DATE.test(spec) ? new Date(spec) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new UsageError(`${name}: "${spec}" is not a date (2026-11-28 or 2026-11-28T10:00:00Z)`);
  // Date rolls a day the month does not have over into the next month (2026-02-30 → March 2): refuse it.
  const ymd = /^(\d{4})-(\d{2})-(\d{2})/.exec(spec);
  if (ymd) {
    const [y, m, day] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
    const c = new Date(Date.UTC(y, m - 1, day));
    if (c.getUTCFullYear() !== y || c.getUTCMonth() !== m - 1 || c.getUTCDate() !== day)
      throw new UsageError(`${name}: "${spec}" is not a date: ${ymd[0]} does not exist`);
  }
  return { now: d, given: true };
}

/** The time of a real event (a run started, facts were collected): recorded, never used to judge. */
export function wallClock(): Date {
  return new Date();
}
