import { parseArgs } from 'node:util';
import { existsSync, promises as fsp, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { hostname } from 'node:os';
import { SEVERITIES, type Framework, type Profile, type Severity } from '../../catalog/types.js';
import { CHECKS } from '../../checks/index.js';
import { COLLECTORS } from '../../collect/index.js';
import { collectFacts } from '../../collect/run.js';
import { DEFAULT_CONFIG, type Config } from '../../config/schema.js';
import { evaluate } from '../../evaluate/engine.js';
import type { Report } from '../../evaluate/report.js';
import { selectChecks } from '../../evaluate/select.js';
import { applyWaivers, skipWaivedChecks } from '../../evaluate/waivers.js';
import { applyAttestations } from '../../evaluate/attestations.js';
import { complianceView, FRAMEWORKS, isFramework } from '../../evaluate/compliance.js';
import { absent } from '../../facts/fact.js';
import { STATE_FACT_KEYS, stateFacts } from '../../store/state-facts.js';
import { SNAPSHOT_VERSION, type FactKey, type FactsSnapshot } from '../../facts/index.js';
import { render } from '../../report/index.js';
import { HistoryStore, StoreError } from '../../store/history.js';
import { isInside, resolveStateDir } from '../../store/state-dir.js';
import { FsTarget } from '../../target/fs-target.js';
import { nameTarget, validTargetName } from '../../target/name.js';
import { VERSION } from '../../version.js';
import { parseConfigText } from '../config-load.js';
import { clockOf, wallClock } from '../clock.js';
import { TargetError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { parseFormats, writeOut } from '../output.js';
import { parseSnapshot, serializeSnapshot } from '../snapshot-io.js';

function splitList(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function loadConfig(io: Io, configPath: string | undefined, target: FsTarget | null): Promise<Config> {
  if (configPath !== undefined) {
    const file = resolve(io.cwd, configPath);
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (e) {
      throw new UsageError(
        `--config ${configPath}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      );
    }
    return parseConfigText(text, file);
  }
  if (!target) return DEFAULT_CONFIG;
  const r = await target.readText('/etc/rampart/config.yaml', { maxBytes: 1024 * 1024 });
  if (!r.ok) {
    if (r.error === 'missing') return DEFAULT_CONFIG;
    throw new UsageError(`/etc/rampart/config.yaml on the target: ${r.message}`);
  }
  return parseConfigText(r.text, target.root === '/' ? '/etc/rampart/config.yaml' : `${target.root}/etc/rampart/config.yaml (in the root)`);
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
    : openStore(io, values['state-dir'], values.root === undefined ? null : resolve(io.cwd, values.root));
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

/**
 * Opens the history store before the audit, so a bad --state-dir fails fast. The default directory
 * (/var/lib/rampart) may be out of reach of an unprivileged user: then the run is not stored, with a
 * warning; a directory the user chose (--state-dir, RAMPART_STATE_DIR) must work.
 */
function openStore(io: Io, flag: string | undefined, root: string | null): HistoryStore | null {
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

interface AuditSettings {
  started: Date;
  t0: number;
  profile: Profile;
  failOn: Severity;
  now: Date | undefined;
  timeoutS: number;
  outputs: ReturnType<typeof parseFormats>;
  /** Where attestations and sign-offs are read (the same state directory as the history). */
  stateDir: { dir: string; explicit: boolean };
  compliance: Framework | null;
}

export type AuditValues = {
  root?: string | undefined;
  facts?: string | undefined;
  only?: string[] | undefined;
  skip?: string[] | undefined;
  config?: string | undefined;
  'save-facts'?: string | undefined;
  'target-name'?: string | undefined;
  'fail-on-unknown': boolean;
};

export type PipelineSettings = Pick<AuditSettings, 'started' | 't0' | 'profile' | 'now' | 'timeoutS' | 'stateDir'>;

/**
 * The audit pipeline without storing or rendering: collect (or read --facts) → evaluate → attestations
 * → waivers. `audit` and `checklist` both run it.
 */
export async function runAuditPipeline(
  values: AuditValues,
  io: Io,
  settings: PipelineSettings,
): Promise<{ report: Report; snapshot: FactsSnapshot }> {
  const { started, t0, profile, now, timeoutS } = settings;
  const sel = selectChecks(CHECKS, { profile, only: splitList(values.only), skip: splitList(values.skip) });
  if (!sel.ok) throw new UsageError(sel.message);

  let snapshot: FactsSnapshot;
  let config: Config | undefined;
  if (values.facts !== undefined) {
    if (values['target-name'] !== undefined)
      throw new UsageError('--target-name names a --root or live audit; a saved snapshot (--facts) keeps the name it was collected with');
    const file = resolve(io.cwd, values.facts);
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (e) {
      throw new TargetError(`--facts ${values.facts}: ${(e as Error).message}`);
    }
    snapshot = parseSnapshot(text, values.facts);
    // A snapshot records the attestations and sign-offs it was collected with; an older one without them
    // gets those of the state directory.
    const missing = STATE_FACT_KEYS.some((k) => snapshot.facts[k] === undefined);
    if (missing) snapshot = { ...snapshot, facts: { ...loadStateFacts(settings.stateDir, snapshot.target.name), ...snapshot.facts } };
    if (values.config !== undefined) config = await loadConfig(io, values.config, null);
  } else {
    const given = values['target-name'];
    const bad = given === undefined ? null : validTargetName(given);
    if (bad !== null) throw new UsageError(bad);
    let target: FsTarget;
    if (values.root !== undefined) {
      const root = resolve(io.cwd, values.root);
      if (!existsSync(root) || !statSync(root).isDirectory()) throw new TargetError(`--root ${values.root}: not a directory`);
      target = new FsTarget({ root, name: values.root });
    } else {
      target = new FsTarget({ name: hostname() });
    }
    // History, diff and waiver host: globs key on this name: the host's own (its /etc/hostname, read
    // inside an offline root), not the path it happens to be mounted on.
    const named = await nameTarget(target, given, values.root ?? hostname());
    const name = named.name;
    config = await loadConfig(io, values.config, target);
    const collectedAt = wallClock();
    // Checks that an active `run_check: false` waiver skips need no facts.
    const keys = new Set<FactKey>(['host']);
    for (const c of skipWaivedChecks(sel.checks, config.waivers, { now: now ?? collectedAt, targetName: name }))
      for (const k of c.needs) keys.add(k);
    for (const k of STATE_FACT_KEYS) keys.delete(k);
    const { facts, timings, batch } = await collectFacts(
      COLLECTORS,
      [...keys],
      { target, config, commandTimeoutMs: 15_000, env: io.env },
      timeoutS * 1000,
    );
    snapshot = {
      schemaVersion: SNAPSHOT_VERSION,
      tool: { name: 'rampart', version: VERSION },
      collectedAt: collectedAt.toISOString(),
      target: { kind: target.kind, name, nameFrom: named.from, root: target.root },
      live: target.live,
      config,
      timings,
      batch,
      facts: { ...facts, ...loadStateFacts(settings.stateDir, name) },
    };
    if (values['save-facts'] !== undefined) await writeOut(io, values['save-facts'], serializeSnapshot(snapshot));
  }

  const waivers = (config ?? snapshot.config).waivers;
  const waiverCtx = { now: now ?? new Date(snapshot.collectedAt), targetName: snapshot.target.name };
  let report = evaluate(snapshot, {
    checks: skipWaivedChecks(sel.checks, waivers, waiverCtx),
    profile,
    ...(now ? { now } : {}),
    ...(config ? { config } : {}),
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
  });
  if (values.facts !== undefined) report.target = { ...report.target, kind: 'facts' };
  const att = snapshot.facts.attestations;
  report = applyAttestations(report, att?.state === 'collected' ? att.value : null, waiverCtx.now);
  report = applyWaivers(report, waivers, waiverCtx);
  return { report, snapshot };
}

/**
 * Attestations and sign-offs of the target from the state directory. An unreadable default directory
 * (an unprivileged run) makes them absent (attestation requirements stay manual); a directory the user
 * chose must be readable (else the facts are failed: unknown).
 */
function loadStateFacts(stateDir: PipelineSettings['stateDir'], target: string): Pick<FactsSnapshot['facts'], 'attestations' | 'signoffs'> {
  const f = stateFacts(stateDir.dir, target);
  if (stateDir.explicit) return f;
  const why = (reason: string) => `not readable in the default state directory (${reason}); --state-dir DIR chooses another`;
  return {
    attestations: f.attestations.state === 'failed' ? absent(`attestations ${why(f.attestations.reason)}`) : f.attestations,
    signoffs: f.signoffs.state === 'failed' ? absent(`sign-offs ${why(f.signoffs.reason)}`) : f.signoffs,
  };
}

async function auditWith(values: AuditValues, store: HistoryStore | null, io: Io, settings: AuditSettings): Promise<number> {
  const { failOn, outputs } = settings;
  let { report } = await runAuditPipeline(values, io, settings);
  if (settings.compliance !== null) report = { ...report, compliance: complianceView(report.results, settings.compliance) };
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
