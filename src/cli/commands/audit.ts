import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { evaluateSnapshot } from '../../audit.js';
import { SEVERITIES, type Framework, type Profile, type Severity } from '../../catalog/types.js';
import { CHECKS } from '../../checks/index.js';
import type { Report } from '../../evaluate/report.js';
import { selectChecks } from '../../evaluate/select.js';
import { FRAMEWORKS, isFramework } from '../../evaluate/compliance.js';
import { render } from '../../report/index.js';
import { StoreError, type HistoryStore } from '../../store/history.js';
import { resolveStateDir } from '../../store/state-dir.js';
import type { StateSource } from '../../store/state-facts.js';
import { clockOf, wallClock } from '../clock.js';
import { UsageError } from '../errors.js';
import { openForAudit } from '../history-io.js';
import type { Io } from '../io.js';
import { parseFormats, writeOut } from '../output.js';
import { snapshotFromArgs, type SnapshotArgs } from '../snapshot-source.js';
import { isDirectory } from '../../fleet/facts-dir.js';
import { auditFactsDir } from './fleet.js';

function splitList(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

function exitCodeFor(report: Report, failOn: Severity, failOnUnknown: boolean): number {
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  const bad = report.results.some(
    (r) => (r.status === 'fail' || r.status === 'warn' || (failOnUnknown && r.status === 'unknown')) && rank(r.severity) <= rank(failOn),
  );
  return bad ? 1 : 0;
}

export async function audit(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      root: { type: 'string' },
      facts: { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      profile: { type: 'string', default: 'guide' },
      only: { type: 'string', multiple: true },
      skip: { type: 'string', multiple: true },
      'fail-on': { type: 'string', default: 'high' },
      'fail-on-unknown': { type: 'boolean', default: false },
      config: { type: 'string' },
      'save-facts': { type: 'string' },
      now: { type: 'string' },
      timeout: { type: 'string', default: '60' },
      'state-dir': { type: 'string' },
      'no-store': { type: 'boolean', default: false },
      compliance: { type: 'string' },
      'target-name': { type: 'string' },
    },
    allowPositionals: false,
    strict: true,
  });
  const started = wallClock();
  const t0 = performance.now();
  const profile = values.profile as Profile;
  if (profile !== 'guide' && profile !== 'strict') throw new UsageError(`--profile must be guide or strict, not "${values.profile}"`);
  const failOn = values['fail-on'] as Severity;
  if (!SEVERITIES.includes(failOn)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}`);
  const clock = clockOf(io, values.now);
  const now = clock.given ? clock.now : undefined;
  const timeoutS = Number(values.timeout);
  if (!(timeoutS > 0)) throw new UsageError('--timeout takes a positive number of seconds');
  if (values.root !== undefined && values.facts !== undefined) throw new UsageError('--root and --facts exclude each other');
  const outputs = parseFormats(values.format, values.output);
  const compliance = values.compliance;
  if (compliance !== undefined && !isFramework(compliance))
    throw new UsageError(`--compliance must be one of ${FRAMEWORKS.join(', ')}, not "${compliance}"`);

  const store = values['no-store']
    ? null
    : openForAudit(io, values['state-dir'], values.root === undefined ? null : resolve(io.cwd, values.root));
  try {
    const stateDir = resolveStateDir(values['state-dir'], io.env, io.cwd);
    return await auditWith(values, store, io, {
      started,
      t0,
      profile,
      failOn,
      now,
      timeoutS,
      outputs,
      stateDir,
      compliance: compliance ?? null,
    });
  } finally {
    store?.close();
  }
}

interface AuditSettings {
  started: Date;
  t0: number;
  profile: Profile;
  failOn: Severity;
  now: Date | undefined;
  timeoutS: number;
  outputs: ReturnType<typeof parseFormats>;
  /** Where attestations and sign-offs are read (the same state directory as the history). */
  stateDir: StateSource;
  compliance: Framework | null;
}

type AuditValues = SnapshotArgs & {
  only?: string[] | undefined;
  skip?: string[] | undefined;
  'fail-on-unknown': boolean;
};

async function auditWith(values: AuditValues, store: HistoryStore | null, io: Io, settings: AuditSettings): Promise<number> {
  const { failOn, outputs, profile, now } = settings;
  const sel = selectChecks(CHECKS, { profile, only: splitList(values.only), skip: splitList(values.skip) });
  if (!sel.ok) throw new UsageError(sel.message);
  // --facts DIR: one snapshot per host → a fleet document (issue 11); not stored in the history.
  if (values.facts !== undefined && (await isDirectory(resolve(io.cwd, values.facts))))
    return auditFactsDir(resolve(io.cwd, values.facts), io, { ...settings, checks: sel.checks, failOnUnknown: values['fail-on-unknown'] });
  const { snapshot, config } = await snapshotFromArgs(values, io, {
    checks: sel.checks,
    now,
    timeoutS: settings.timeoutS,
    state: settings.stateDir,
  });
  let report = evaluateSnapshot(snapshot, config, now ?? new Date(snapshot.collectedAt), {
    checks: sel.checks,
    profile,
    startedAt: settings.started,
    durationMs: Math.round(performance.now() - settings.t0),
    compliance: settings.compliance,
  });
  if (store) {
    try {
      store.record(report);
      report = { ...report, trend: store.trend(report.target.name, 10) };
    } catch (e) {
      if (e instanceof StoreError) throw new UsageError(e.message);
      throw e;
    }
  }

  for (const o of outputs) {
    const color = o.path === null && io.isTTY && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '');
    const text = render(o.format, report, { color });
    if (o.path === null) io.stdout(text);
    else await writeOut(io, o.path, text);
  }
  return exitCodeFor(report, failOn, values['fail-on-unknown']);
}
