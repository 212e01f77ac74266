import { readFile } from 'node:fs/promises';
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
import { defineCommand, type Args, type OptionSpec } from '../spec.js';
import { parseFormats, writeOut } from '../output.js';
import { snapshotFromArgs, type SnapshotArgs } from '../snapshot-source.js';
import { auditFactsDir, auditFleet } from '../fleet-audit.js';
import { parseTimeout, parseWholeNumber } from '../timeout.js';
import { progressOn } from '../progress.js';
import { isDirectory } from '../../fleet/facts-dir.js';

export function splitList(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

function exitCodeFor(report: Report, failOn: Severity, failOnUnknown: boolean, baselined: ReadonlySet<string>): number {
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  const bad = report.results.some(
    (r) =>
      (r.status === 'fail' || r.status === 'warn' || (failOnUnknown && r.status === 'unknown')) &&
      rank(r.severity) <= rank(failOn) &&
      !baselined.has(baselineKey(r.id, r.status)),
  );
  return bad ? 1 : 0;
}

/** A result is baselined when the baseline report has the same requirement with the same status. */
function baselineKey(id: string, status: string): string {
  return `${id}\u0000${status}`;
}

/** `--baseline REPORT.json` → the keys of its fail/warn/unknown results. */
async function readBaseline(io: Io, path: string): Promise<Set<string>> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(resolve(io.cwd, path), 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--baseline ${path}: ${code === 'ENOENT' ? 'no such file' : e instanceof SyntaxError ? 'not JSON (give a report of rampart audit --format json)' : (e as Error).message}`,
    );
  }
  const results = (doc as { results?: unknown }).results;
  if (!Array.isArray(results)) throw new UsageError(`--baseline ${path}: not a rampart JSON report (no results)`);
  const keys = new Set<string>();
  for (const r of results as { id?: unknown; status?: unknown }[])
    if (typeof r?.id === 'string' && (r.status === 'fail' || r.status === 'warn' || r.status === 'unknown'))
      keys.add(baselineKey(r.id, r.status));
  return keys;
}

/** --color, NO_COLOR (https://no-color.org) and FORCE_COLOR: colours for the text report on stdout. */
export function colorFor(when: string, io: Io): boolean {
  if (when === 'always') return true;
  if (when === 'never') return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.isTTY;
}

/** audit's options (fleet options go here too, in the same style). */
export const AUDIT_OPTIONS = {
  root: { type: 'string', arg: 'DIR', help: 'audit an offline root (image, chroot, mounted disk) instead of this host' },
  facts: { type: 'string', arg: 'FILE', help: 're-evaluate a saved facts snapshot (from --save-facts)' },
  format: {
    type: 'string',
    arg: 'F[:PATH],...',
    help: 'report formats, each to stdout or to PATH: text (default), json, html, junit, sarif, markdown, csv',
    choices: ['text', 'json', 'html', 'junit', 'sarif', 'markdown', 'csv'],
  },
  output: { type: 'string', short: 'o', arg: 'FILE', help: 'the path of a single format' },
  profile: {
    type: 'string',
    default: 'guide',
    arg: 'PROFILE',
    help: 'strict adds the requirements that carry the guide further',
    choices: ['guide', 'strict'],
  },
  only: { type: 'string', multiple: true, arg: 'SEL,...', help: 'ids, areas (ssh or ssh.*) or sections (3.2) to run' },
  skip: { type: 'string', multiple: true, arg: 'SEL,...', help: 'ids, areas or sections to leave out' },
  'fail-on': {
    type: 'string',
    default: 'high',
    arg: 'SEVERITY',
    help: 'exit 1 on a fail/warn at or above it (default high)',
    choices: ['critical', 'high', 'medium', 'low', 'info'],
  },
  'fail-on-unknown': { type: 'boolean', default: false, help: 'unknown results count towards the exit code too' },
  config: { type: 'string', arg: 'FILE', help: 'the config file (else /etc/rampart/config.yaml on the target)' },
  'save-facts': { type: 'string', arg: 'FILE', help: 'save the collected snapshot (replay it with --facts)' },
  now: { type: 'string', arg: 'ISO-DATE', help: 'evaluate time-based verdicts at this time (else $RAMPART_NOW, else the real clock)' },
  timeout: { type: 'string', default: '60', arg: 'SECONDS', help: 'per collector (default 60); commands time out at 15 s' },
  'state-dir': { type: 'string', arg: 'DIR', help: 'history store (default $RAMPART_STATE_DIR, else /var/lib/rampart)' },
  'no-store': { type: 'boolean', default: false, help: 'do not store this run in the history' },
  compliance: {
    type: 'string',
    arg: 'FRAMEWORK',
    help: 'group the results by control (text: a control table; json: a compliance object)',
    choices: ['iso27001:2013', 'iso27001:2022', 'gdpr'],
  },
  baseline: {
    type: 'string',
    arg: 'REPORT.json',
    help: 'a JSON report of an earlier run: its failures are shown as baselined and do not count for the exit code',
  },
  color: {
    type: 'string',
    default: 'auto',
    arg: 'WHEN',
    help: 'colours in the text report (auto: on a terminal, unless NO_COLOR; FORCE_COLOR forces)',
    choices: ['auto', 'always', 'never'],
  },
  quiet: { type: 'boolean', short: 'q', default: false, help: 'text: only the failures (fail and warn)' },
  severity: {
    type: 'string',
    arg: 'LEVELS',
    help: 'text: only results of these severities, comma-separated (the exit code still follows --fail-on)',
    choices: ['critical', 'high', 'medium', 'low', 'info'],
  },
  'csv-bom': { type: 'boolean', default: false, help: 'start CSV output with a UTF-8 byte order mark (spreadsheets)' },
  'target-name': {
    type: 'string',
    arg: 'NAME',
    help: "the name history, diff and waiver host: globs key on (default: the target's /etc/hostname, else the host name)",
  },
  host: {
    type: 'string',
    multiple: true,
    arg: '[USER@]HOST[:PORT]',
    help: 'audit this host over SSH (repeatable; the system OpenSSH client)',
  },
  inventory: { type: 'string', arg: 'FILE', help: 'audit the hosts of an Ansible inventory (INI or YAML) over SSH' },
  limit: { type: 'string', arg: 'PATTERN', help: 'with --inventory: only the hosts this Ansible pattern selects' },
  'ssh-config': { type: 'string', arg: 'FILE', help: 'the ssh client configuration to use (ssh -F FILE)' },
  forks: { type: 'string', default: '10', arg: 'N', help: 'hosts audited at once (default 10)' },
  become: { type: 'boolean', default: false, help: 'run the remote gathering through sudo -n (once per host)' },
} as const satisfies Record<string, OptionSpec>;

export async function audit(args: Args<typeof AUDIT_OPTIONS>, io: Io): Promise<number> {
  const { values } = args;
  const started = wallClock();
  const t0 = performance.now();
  const profile = values.profile as Profile;
  if (profile !== 'guide' && profile !== 'strict') throw new UsageError(`--profile must be guide or strict, not "${values.profile}"`);
  const failOn = values['fail-on'] as Severity;
  if (!SEVERITIES.includes(failOn)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}`);
  const clock = clockOf(io, values.now);
  const now = clock.given ? clock.now : undefined;
  const timeoutS = parseTimeout(values.timeout);
  if (values.root !== undefined && values.facts !== undefined) throw new UsageError('--root and --facts exclude each other');
  const outputs = parseFormats(values.format, values.output);
  if (values.color !== 'auto' && values.color !== 'always' && values.color !== 'never')
    throw new UsageError(`--color must be auto, always or never, not "${values.color}"`);
  const severities = values.severity?.split(',').map((x) => x.trim());
  for (const x of severities ?? [])
    if (!(SEVERITIES as readonly string[]).includes(x)) throw new UsageError(`--severity: "${x}" is not one of ${SEVERITIES.join(', ')}`);
  const baselined = values.baseline === undefined ? new Set<string>() : await readBaseline(io, values.baseline);
  const compliance = values.compliance;
  if (compliance !== undefined && !isFramework(compliance))
    throw new UsageError(`--compliance must be one of ${FRAMEWORKS.join(', ')}, not "${compliance}"`);

  const fleet = values.host !== undefined || values.inventory !== undefined;
  if (fleet && (values.root !== undefined || values.facts !== undefined || values['target-name'] !== undefined))
    throw new UsageError('--host/--inventory exclude --root, --facts and --target-name');
  if (!fleet && (values.limit !== undefined || values['ssh-config'] !== undefined || values.become))
    throw new UsageError('--limit, --ssh-config and --become go with --host or --inventory');
  const forks = parseWholeNumber(values.forks, '--forks', 1, 1000);

  const store = values['no-store']
    ? null
    : openForAudit(io, values['state-dir'], values.root === undefined ? null : resolve(io.cwd, values.root));
  try {
    const stateDir = resolveStateDir(values['state-dir'], io.env, io.cwd);
    const settings = {
      started,
      t0,
      profile,
      failOn,
      now,
      timeoutS,
      outputs,
      stateDir,
      compliance: compliance ?? null,
      baselined,
      color: colorFor(values.color, io),
      csvBom: values['csv-bom'],
      text: { quiet: values.quiet, ...(severities ? { severities } : {}), ...(io.columns !== undefined ? { columns: io.columns } : {}) },
    };
    if (fleet) return await auditFleet({ ...values, forks }, store, io, settings);
    return await auditWith(values, store, io, settings);
  } finally {
    store?.close();
  }
}

export interface AuditSettings {
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
  baselined: ReadonlySet<string>;
  color: boolean;
  csvBom: boolean;
  text: { quiet: boolean; severities?: string[]; columns?: number };
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
    progress: progressOn(io, settings.text.quiet),
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
    const text = render(o.format, report, {
      color: o.path === null && settings.color,
      csvBom: settings.csvBom,
      text:
        o.path === null
          ? settings.text
          : { quiet: settings.text.quiet, ...(settings.text.severities ? { severities: settings.text.severities } : {}) },
    });
    if (o.path === null) io.stdout(text);
    else await writeOut(io, o.path, text);
  }
  const old = report.results.filter((r) => settings.baselined.has(baselineKey(r.id, r.status)));
  if (old.length > 0)
    io.stderr(
      `rampart: ${old.length} result(s) baselined (in --baseline, not counted for the exit code): ${old.map((r) => `${r.id} (${r.status})`).join(', ')}\n`,
    );
  return exitCodeFor(report, failOn, values['fail-on-unknown'], settings.baselined);
}

export const auditCommand = defineCommand({
  name: 'audit',
  summary: 'audit this host, an offline root or a saved facts snapshot against the guide',
  usage: ['audit [options]', 'audit --root DIR [options]', 'audit --facts FILE [options]'],
  options: AUDIT_OPTIONS,
  examples: [
    { cmd: 'rampart audit', what: 'audit this host, text report on stdout' },
    {
      cmd: 'rampart audit --root /mnt/image --format sarif:rampart.sarif,junit:rampart.xml --no-store',
      what: 'audit an image root for CI',
    },
    { cmd: 'rampart audit --only ssh --fail-on critical', what: 'only the SSH requirements; fail only on critical findings' },
  ],
  exitCodes: ['0 nothing at or above --fail-on, 1 something is, 2 usage error, 3 the target could not be read'],
  run: (args, io) => audit(args, io),
});
