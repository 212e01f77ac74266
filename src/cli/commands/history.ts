import type { RunInfo } from '../../store/history.js';
import { UsageError } from '../errors.js';
import { formatScore, openForReading } from '../history-io.js';
import type { Io } from '../io.js';
import { defineCommand, type Args, type OptionSpec } from '../spec.js';

function runLine(r: RunInfo): string {
  const s = r.summary;
  const score =
    r.score.beforeWaivers === r.score.afterWaivers
      ? formatScore(r.score.afterWaivers)
      : `${formatScore(r.score.beforeWaivers)}→${formatScore(r.score.afterWaivers)}`;
  return `  ${r.runId}  ${r.startedAt}  ${r.target.kind.padEnd(5)}  ${r.profile.padEnd(6)}  ${score.padStart(11)}  ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.unknown} unknown, ${s.waived} waived`;
}

/** `rampart history [--target NAME] [--format text|json] [--state-dir DIR]`: the stored runs per target, oldest first. */
const HISTORY_OPTIONS = {
  target: { type: 'string', arg: 'NAME', help: 'one target only' },
  format: { type: 'string', default: 'text', arg: 'FORMAT', help: 'text or json', choices: ['text', 'json'] },
  'state-dir': { type: 'string', arg: 'DIR', help: 'history store (default $RAMPART_STATE_DIR, else /var/lib/rampart)' },
} as const satisfies Record<string, OptionSpec>;

export function history(args: Args<typeof HISTORY_OPTIONS>, io: Io): number {
  const { values } = args;
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

export const historyCommand = defineCommand({
  name: 'history',
  summary: 'stored runs per target',
  usage: ['history [--target NAME] [--format text|json]'],
  options: HISTORY_OPTIONS,
  examples: [
    { cmd: 'rampart history', what: 'every target with its runs' },
    { cmd: 'rampart history --target web1 --format json', what: "web1's runs as JSON" },
  ],
  run: (args, io) => history(args, io),
});
