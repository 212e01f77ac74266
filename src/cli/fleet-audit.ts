// `rampart audit --host/--inventory`: each host collected over SSH, evaluated here, stored under its
// name; one fleet document (json) or a per-host table (text). The orchestration is src/fleet/run.ts.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collectSnapshot, evaluateSnapshot } from '../audit.js';
import { CHECKS } from '../checks/index.js';
import { selectChecks } from '../evaluate/select.js';
import { buildFleetDocument, fleetExitCode } from '../fleet/document.js';
import type { Framework, Profile, Severity } from '../catalog/types.js';
import type { Check } from '../checks/define.js';
import { replaySnapshot } from '../audit.js';
import { factsDirDocument, loadFactsDir } from '../fleet/facts-dir.js';
import { DEFAULT_CONFIG, type Config } from '../config/schema.js';
import type { StateSource } from '../store/state-facts.js';
import type { OutputSpec } from './output.js';
import { FLEET_FORMATS, isFleetFormat, renderFleet, type FleetFormat } from '../fleet/render.js';
import { factsFileName, fleetHosts, runFleet } from '../fleet/run.js';
import { StoreError, type HistoryStore } from '../store/history.js';
import { wallClock } from './clock.js';
import type { AuditSettings } from './commands/audit.js';
import { splitList } from './commands/audit.js';
import { loadConfig } from './config-load.js';
import { TargetError, UsageError } from './errors.js';
import type { Io } from './io.js';
import { progressOn } from './progress.js';
import { writeOut } from './output.js';
import { serializeSnapshot } from './snapshot-io.js';

const COMMAND_TIMEOUT_MS = 15_000;

export interface FleetValues {
  host?: string[] | undefined;
  inventory?: string | undefined;
  limit?: string | undefined;
  'ssh-config'?: string | undefined;
  forks: number;
  become: boolean;
  config?: string | undefined;
  'save-facts'?: string | undefined;
  only?: string[] | undefined;
  skip?: string[] | undefined;
  'fail-on-unknown': boolean;
}

export async function auditFleet(values: FleetValues, store: HistoryStore | null, io: Io, settings: AuditSettings): Promise<number> {
  const { failOn, outputs, profile, now } = settings;
  const sel = selectChecks(CHECKS, { profile, only: splitList(values.only), skip: splitList(values.skip) });
  if (!sel.ok) throw new UsageError(sel.message);
  const specs = fleetHosts({
    hosts: values.host ?? [],
    inventory: values.inventory === undefined ? undefined : resolve(io.cwd, values.inventory),
    limit: values.limit,
    become: values.become,
  });
  if (!specs.ok) throw new UsageError(specs.message);
  for (const o of outputs)
    if (!isFleetFormat(o.format)) throw new UsageError(`--format ${o.format}: a fleet renders as ${FLEET_FORMATS.join(', ')}`);
  const factsDir = values['save-facts'] === undefined ? null : resolve(io.cwd, values['save-facts']);
  if (factsDir !== null) {
    try {
      mkdirSync(factsDir, { recursive: true });
    } catch (e) {
      throw new TargetError(`--save-facts ${values['save-facts']}: ${(e as Error).message}`);
    }
  }
  const sshConfig = values['ssh-config'] === undefined ? null : resolve(io.cwd, values['ssh-config']);
  const env: NodeJS.ProcessEnv = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    ...Object.fromEntries(Object.entries(io.env).filter((e): e is [string, string] => e[1] !== undefined)),
  };
  const hostsLine = progressOn(io, settings.text.quiet);
  hostsLine.show(`rampart: auditing ${specs.hosts.length} host(s) over SSH, ${Math.min(values.forks, specs.hosts.length)} at a time`);
  const hosts = await runFleet(specs.hosts, {
    forks: values.forks,
    sshConfig,
    timeoutS: settings.timeoutS,
    env,
    progress: (line: string) => hostsLine.show(`rampart: ${line}`),
    audit: async (target, spec) => {
      const t0 = performance.now();
      const startedAt = wallClock();
      const config = await loadConfig(io, values.config, target);
      const snapshot = await collectSnapshot(target, config, {
        checks: sel.checks,
        targetName: spec.name,
        state: settings.stateDir,
        clock: wallClock,
        now,
        collectorTimeoutMs: settings.timeoutS * 1000,
        commandTimeoutMs: COMMAND_TIMEOUT_MS,
      });
      if (target.failure) throw new Error(target.failure.message);
      if (factsDir !== null) await writeOut(io, join(factsDir, factsFileName(spec.name)), serializeSnapshot(snapshot));
      let report = evaluateSnapshot(snapshot, config, now ?? new Date(snapshot.collectedAt), {
        checks: sel.checks,
        profile,
        startedAt,
        durationMs: Math.round(performance.now() - t0),
        compliance: settings.compliance,
      });
      if (store) {
        try {
          store.record(report);
          report = { ...report, trend: store.trend(report.target.name, 10) };
        } catch (e) {
          if (e instanceof StoreError) throw new Error(`history: ${e.message}`, { cause: e });
          throw e;
        }
      }
      return report;
    },
  }).finally(() => hostsLine.done());
  const doc = buildFleetDocument(hosts, failOn, {
    failOnUnknown: values['fail-on-unknown'],
    generatedAt: (now ?? wallClock()).toISOString(),
  });
  for (const o of outputs) {
    const text = renderFleet(doc, o.format as FleetFormat);
    if (o.path === null) io.stdout(text);
    else await writeOut(io, o.path, text);
  }
  return fleetExitCode(doc);
}

/** `audit --facts DIR`: every snapshot of DIR evaluated → one fleet document, in each requested format. */
export async function auditFactsDir(
  dir: string,
  io: Io,
  s: {
    checks: readonly Check[];
    profile: Profile;
    failOn: Severity;
    failOnUnknown: boolean;
    now: Date | undefined;
    started: Date;
    t0: number;
    outputs: readonly OutputSpec[];
    stateDir: StateSource;
    compliance: Framework | null;
    config?: Config;
  },
): Promise<number> {
  for (const o of s.outputs)
    if (!isFleetFormat(o.format)) throw new UsageError(`--facts DIR (a fleet) renders as ${FLEET_FORMATS.join(', ')}, not ${o.format}`);
  let loaded;
  try {
    loaded = await loadFactsDir(dir, { config: s.config ?? DEFAULT_CONFIG, state: s.stateDir, now: s.now });
  } catch (e) {
    throw new TargetError(`--facts ${dir}: ${(e as Error).message}`);
  }
  const doc = factsDirDocument(
    loaded,
    (saved) => {
      const snapshot = replaySnapshot(saved, s.stateDir);
      return evaluateSnapshot(snapshot, snapshot.config, s.now ?? new Date(snapshot.collectedAt), {
        checks: s.checks,
        profile: s.profile,
        startedAt: s.started,
        durationMs: Math.round(performance.now() - s.t0),
        compliance: s.compliance,
      });
    },
    { failOn: s.failOn, failOnUnknown: s.failOnUnknown, generatedAt: s.now ?? s.started },
  );
  for (const o of s.outputs) {
    const text = renderFleet(doc, o.format as 'text');
    if (o.path === null) io.stdout(text);
    else await writeOut(io, o.path, text);
  }
  return fleetExitCode(doc);
}
