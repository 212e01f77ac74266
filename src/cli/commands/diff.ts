import { diffReports, hasRegression, type EvidenceChange, type RunDiff, type StatusChange } from '../../store/diff.js';
import { StoreError, type HistoryStore, type RunInfo } from '../../store/history.js';
import { locate, printable } from '../../report/text.js';
import { UsageError } from '../errors.js';
import { formatScore, openForReading } from '../history-io.js';
import type { Io } from '../io.js';
import { defineCommand, type Args, type OptionSpec } from '../spec.js';
import { thisHostName } from '../this-host.js';

function pickRuns(store: HistoryStore, refs: string[], target: string | undefined): [RunInfo, RunInfo] {
  if (refs.length === 2) {
    const a = store.find(refs[0]!);
    const b = store.find(refs[1]!);
    if (target !== undefined && (a.target.name !== target || b.target.name !== target))
      throw new StoreError(`--target ${target}: the runs given are of ${a.target.name} and ${b.target.name}`);
    return [a, b];
  }
  if (refs.length === 1) {
    const b = store.find(refs[0]!);
    const a = store.previous(b);
    if (!a) throw new StoreError(`run ${b.runId} is the first run of ${b.target.name}: nothing to compare it with`);
    return [a, b];
  }
  const name = target ?? thisHostName();
  const last = store.lastRuns(name, 2);
  if (last.length < 2) {
    throw new StoreError(
      `${last.length === 0 ? 'no runs' : 'only one run'} of ${name} in ${store.file}; diff needs two${target === undefined ? ' (--target NAME picks another target)' : ''}`,
    );
  }
  return [last[0]!, last[1]!];
}

function statusLine(c: StatusChange): string {
  const move = `${c.from ?? '(absent)'} → ${c.to ?? '(absent)'}`;
  const waiver = c.waiver ? `; waiver: ${printable(c.waiver.reason)}${c.waiver.expires ? ` (until ${c.waiver.expires})` : ''}` : '';
  return `  ${c.id}  [${c.severity}]  ${move}: ${printable(c.summary)}${waiver}`;
}

function evidenceLines(c: EvidenceChange): string[] {
  const f = (x: EvidenceChange['added'][number]) => printable([locate(x), x.message].filter(Boolean).join('  '));
  return [`  ${c.id}  [${c.severity}]  ${c.status}`, ...c.added.map((x) => `      + ${f(x)}`), ...c.removed.map((x) => `      - ${f(x)}`)];
}

export function renderDiffText(d: RunDiff): string {
  const out = [
    `Changes in ${printable(d.target)} from run ${d.from.runId} (${d.from.startedAt}, score ${formatScore(d.from.score.afterWaivers)}) to run ${d.to.runId} (${d.to.startedAt}, score ${formatScore(d.to.score.afterWaivers)})`,
  ];
  const sections: [string, StatusChange[]][] = [
    ['New failures', d.newFailures],
    ['Regressed', d.regressed],
    ['Waivers expired', d.expiredWaivers],
    ['Fixed', d.fixed],
    ['Improved', d.improved],
    ['Newly waived', d.newlyWaived],
    ['Other status changes', d.otherChanges],
  ];
  let any = false;
  for (const [title, list] of sections) {
    if (!list.length) continue;
    any = true;
    out.push('', `${title} (${list.length}):`, ...list.map(statusLine));
  }
  if (d.changedEvidence.length) {
    any = true;
    out.push('', `Changed evidence (${d.changedEvidence.length}):`, ...d.changedEvidence.flatMap(evidenceLines));
  }
  if (!any) out.push('', 'No changes.');
  out.push('', hasRegression(d) ? 'Result: new failures or regressions (exit 1).' : 'Result: no new failures or regressions.');
  return `${out.join('\n')}\n`;
}

/**
 * `rampart diff [RUN_A] [RUN_B] [--target NAME] [--format text|json] [--state-dir DIR]`.
 * No run: the last two runs of the target (this host, or --target). One run: that run against the
 * run of the same target before it. Exit 1 on new failures, regressions or expired waivers, else 0.
 */
const DIFF_OPTIONS = {
  target: { type: 'string', arg: 'NAME', help: 'the target whose runs to compare (default this host)' },
  format: { type: 'string', default: 'text', arg: 'FORMAT', help: 'text or json', choices: ['text', 'json'] },
  'state-dir': { type: 'string', arg: 'DIR', help: 'history store (default $RAMPART_STATE_DIR, else /var/lib/rampart)' },
} as const satisfies Record<string, OptionSpec>;

export function diff(args: Args<typeof DIFF_OPTIONS>, io: Io): number {
  const { values, positionals } = args;
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError('--format must be text or json');
  if (positionals.length > 2) throw new UsageError('usage: rampart diff [RUN_A] [RUN_B] [--target NAME]');
  const store = openForReading(values['state-dir'], io);
  try {
    const [a, b] = pickRuns(store, positionals, values.target);
    const d = diffReports({ ...store.report(a.runId), runId: a.runId }, { ...store.report(b.runId), runId: b.runId });
    io.stdout(values.format === 'json' ? `${JSON.stringify(d, null, 2)}\n` : renderDiffText(d));
    return hasRegression(d) ? 1 : 0;
  } catch (e) {
    if (e instanceof StoreError) throw new UsageError(e.message);
    throw e;
  } finally {
    store.close();
  }
}

export const diffCommand = defineCommand({
  name: 'diff',
  summary: 'new failures, regressions, fixes, waiver and evidence changes between two runs',
  usage: ['diff [RUN_A] [RUN_B] [--target NAME] [--format text|json]'],
  options: DIFF_OPTIONS,
  positionals: [
    { name: 'RUN_A', help: 'the older run (default the last but one)', optional: true },
    { name: 'RUN_B', help: 'the newer run (default the last)', optional: true },
  ],
  examples: [
    { cmd: 'rampart diff', what: 'the last two runs of this host' },
    { cmd: 'rampart diff --target web1 --format json', what: 'the last two runs of web1, as JSON' },
  ],
  exitCodes: ['0 no new failures or regressions, 1 new failures, regressions or expired waivers, 2 error'],
  run: (args, io) => diff(args, io),
});
