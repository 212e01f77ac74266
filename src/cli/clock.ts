import { UsageError } from './errors.js';
import type { Io } from './io.js';

/**
 * The one clock of the CLI: `--now` when given, else RAMPART_NOW from the environment (replaying an
 * audit, the suite run with the clock moved), else the real time. Commands judge "today" only
 * through it, so a test that records a date passes --now and does not turn red on a later day.
 */
export function clockOf(io: Pick<Io, 'env'>, flag: string | undefined): { now: Date; given: boolean } {
  const spec = flag ?? io.env.RAMPART_NOW;
  if (spec === undefined || spec === '') return { now: new Date(), given: false };
  const d = new Date(spec);
  if (Number.isNaN(d.getTime()))
    throw new UsageError(`${flag !== undefined ? '--now' : 'RAMPART_NOW'}: "${spec}" is not a date (2026-11-28 or 2026-11-28T10:00:00Z)`);
  return { now: d, given: true };
}

/** The time of a real event (a run started, facts were collected): recorded, never used to judge. */
export function wallClock(): Date {
  return new Date();
}
