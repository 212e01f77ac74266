import { evaluateSnapshot } from '../../audit.js';
import { CHECKS } from '../../checks/index.js';
import { allTicked, buildChecklist, type Phase } from '../../evaluate/checklist.js';
import { selectChecks } from '../../evaluate/select.js';
import { renderChecklist } from '../../report/checklist.js';
import { resolveStateDir } from '../../store/state-dir.js';
import { clockOf, wallClock } from '../clock.js';
import { parseTimeout } from '../timeout.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { defineCommand, type Args, type OptionSpec } from '../spec.js';
import { writeOut } from '../output.js';
import { snapshotFromArgs } from '../snapshot-source.js';
import { progressOn } from '../progress.js';

/**
 * `rampart checklist [--phase pre|post] [--root DIR | --facts FILE] [--config FILE] [--state-dir DIR]
 * [--format markdown|json] [-o FILE] [--now ISO]`: runs a fresh audit (the audit's pipeline, not
 * stored in the history) and renders the guide's section 6 checklist from it and the boxes'
 * attestations. Exit 0 every box shown is ticked, 1 some is not, 2 usage or configuration error,
 * 3 the target could not be read.
 */
const CHECKLIST_OPTIONS = {
  phase: { type: 'string', arg: 'PHASE', help: 'one phase only (default both)', choices: ['pre', 'post'] },
  root: { type: 'string', arg: 'DIR', help: 'audit an offline root' },
  facts: { type: 'string', arg: 'FILE', help: 're-evaluate a saved facts snapshot' },
  config: { type: 'string', arg: 'FILE', help: 'the config file' },
  'state-dir': { type: 'string', arg: 'DIR', help: 'state directory (attestations)' },
  format: { type: 'string', default: 'markdown', arg: 'FORMAT', help: 'markdown or json', choices: ['markdown', 'json'] },
  output: { type: 'string', short: 'o', arg: 'FILE', help: 'write to FILE instead of stdout' },
  now: { type: 'string', arg: 'ISO-DATE', help: 'evaluate at this time' },
  timeout: { type: 'string', default: '60', arg: 'SECONDS', help: 'per collector (default 60)' },
  'target-name': { type: 'string', arg: 'NAME', help: 'the target name' },
} as const satisfies Record<string, OptionSpec>;

export async function checklist(args: Args<typeof CHECKLIST_OPTIONS>, io: Io): Promise<number> {
  const { values } = args;
  const phases: Phase[] =
    values.phase === undefined ? ['pre', 'post'] : values.phase === 'pre' || values.phase === 'post' ? [values.phase] : [];
  if (phases.length === 0) throw new UsageError(`--phase must be pre or post, not "${values.phase ?? ''}"`);
  if (values.format !== 'markdown' && values.format !== 'json') throw new UsageError('--format must be markdown or json');
  if (values.root !== undefined && values.facts !== undefined) throw new UsageError('--root and --facts exclude each other');
  const clock = clockOf(io, values.now);
  const now = clock.given ? clock.now : undefined;
  const timeoutS = parseTimeout(values.timeout);

  const started = wallClock();
  const t0 = performance.now();
  // Every check of the guide profile: the box "Test security configurations" needs a complete run.
  const sel = selectChecks(CHECKS, { profile: 'guide', only: [], skip: [] });
  if (!sel.ok) throw new UsageError(sel.message);
  const { snapshot, config } = await snapshotFromArgs(
    { root: values.root, facts: values.facts, config: values.config, 'target-name': values['target-name'] },
    io,
    { checks: sel.checks, now, timeoutS, state: resolveStateDir(values['state-dir'], io.env, io.cwd), progress: progressOn(io, false) },
  );
  const at = now ?? new Date(snapshot.collectedAt);
  const report = evaluateSnapshot(snapshot, config, at, {
    checks: sel.checks,
    profile: 'guide',
    startedAt: started,
    durationMs: Math.round(performance.now() - t0),
  });
  const att = snapshot.facts.attestations;
  const list = buildChecklist({
    report,
    attestations: att?.state === 'collected' ? att.value.attestations : [],
    now: at,
    complete: true,
    phases,
  });
  const text = renderChecklist(values.format, list);
  if (values.output === undefined) io.stdout(text);
  else await writeOut(io, values.output, text);
  return allTicked(list) ? 0 : 1;
}

export const checklistCommand = defineCommand({
  name: 'checklist',
  summary: "the guide's section 6 checklist, ticked from a fresh audit",
  usage: ['checklist [--phase pre|post] [--root DIR | --facts FILE] [--format markdown|json] [-o FILE]'],
  options: CHECKLIST_OPTIONS,
  examples: [
    { cmd: 'rampart checklist --phase pre', what: 'the pre-go-live checklist of this host' },
    { cmd: 'rampart checklist --root /mnt/image --format json -o checklist.json', what: 'an image root, as JSON' },
  ],
  exitCodes: ['0 every box ticked, 1 a box is not ticked, 2 usage error'],
  run: (args, io) => checklist(args, io),
});
