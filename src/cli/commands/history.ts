import { parseArgs } from 'node:util';
import type { RunInfo } from '../../store/history.js';
import { UsageError } from '../errors.js';
import { formatScore, openForReading } from '../history-io.js';
import type { Io } from '../io.js';

function runLine(r: RunInfo): string {
  const s = r.summary;
  const score =
    r.score.beforeWaivers === r.score.afterWaivers
      ? formatScore(r.score.afterWaivers)
      : `${formatScore(r.score.beforeWaivers)}→${formatScore(r.score.afterWaivers)}`;
  return `  ${r.runId}  ${r.startedAt}  ${r.target.kind.padEnd(5)}  ${r.profile.padEnd(6)}  ${score.padStart(11)}  ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.unknown} unknown, ${s.waived} waived`;
}

/** `rampart history [--target NAME] [--format text|json] [--state-dir DIR]`: the stored runs per target, oldest first. */
export function history(argv: string[], io: Io): number {
  const { values } = parseArgs({
    args: argv,
    options: { target: { type: 'string' }, format: { type: 'string', default: 'text' }, 'state-dir': { type: 'string' } },
    allowPositionals: false,
    strict: true,
  });
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError('--format must be text or json');
  const store = openForReading(values['state-dir'], io);
  try {
    const runs = store.runs(values.target);
    if (values.format === 'json') {
      io.stdout(
        `${JSON.stringify(
          runs.map(({ seq: _seq, ...r }) => r),
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    if (runs.length === 0) {
      io.stdout(values.target === undefined ? `No runs in ${store.file}.\n` : `No runs of ${values.target} in ${store.file}.\n`);
      return 0;
    }
    const out: string[] = [];
    let target: string | null = null;
    for (const r of runs) {
      if (r.target.name !== target) {
        target = r.target.name;
        const n = runs.filter((x) => x.target.name === target).length;
        out.push(`${out.length ? '\n' : ''}${target} (${n} run${n === 1 ? '' : 's'}; score before→after waivers)`);
      }
      out.push(runLine(r));
    }
    io.stdout(`${out.join('\n')}\n`);
    return 0;
  } finally {
    store.close();
  }
}
