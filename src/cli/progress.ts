import { printable } from '../report/text.js';
import type { CollectProgress } from '../collect/run.js';
import type { Io } from './io.js';

/**
 * A one-line progress indicator on standard error for the slow parts of a run (collectors, scans,
 * live probes, fleet hosts): the line is rewritten in place (`\r` + erase line) and erased when the
 * work ends, so nothing of it stays on the screen. Only when standard error is a terminal and not
 * `--quiet`: piped or redirected, standard error gets none of it.
 */
export interface Progress {
  /** Replaces the line. */
  show(line: string): void;
  /** Erases the line (and stops any refresh). */
  done(): void;
}

const NONE: Progress = { show: () => {}, done: () => {} };
const ERASE = '\r\u001b[2K';

export function progressOn(io: Io, quiet: boolean): Progress {
  if (io.stderrIsTTY !== true || quiet) return NONE;
  const width = Math.max(20, (io.stderrColumns ?? 80) - 1);
  let shown = false;
  return {
    show(line) {
      io.stderr(`${ERASE}${cut(printable(line), width)}`);
      shown = true;
    },
    done() {
      if (shown) io.stderr(ERASE);
      shown = false;
    },
  };
}

function cut(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
}

/**
 * The collection's line, refreshed every `tickMs` while collectors run (a 20 s scan shows its time
 * going up): `rampart: collecting 12/31 (fs, postgres, +2) 3.4 s`.
 */
export function collectionProgress(p: Progress, tickMs = 250): { update: (c: CollectProgress) => void; done: () => void } {
  const t0 = performance.now();
  let last: CollectProgress | null = null;
  let drawn = -Infinity;
  const draw = () => {
    if (!last) return;
    drawn = performance.now();
    const names = last.running.slice(0, 3).join(', ') + (last.running.length > 3 ? `, +${last.running.length - 3}` : '');
    p.show(`rampart: collecting ${last.done}/${last.total}${names ? ` (${names})` : ''} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };
  const timer = setInterval(draw, tickMs);
  timer.unref();
  return {
    update(c) {
      last = c;
      // at most one redraw per 50 ms as collectors end together; the timer catches up
      if (performance.now() - drawn >= 50) draw();
    },
    done() {
      clearInterval(timer);
      p.done();
    },
  };
}
