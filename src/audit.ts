import type { Framework, Profile } from './catalog/types.js';
import type { Check } from './checks/define.js';
import { COLLECTORS } from './collect/index.js';
import { collectFacts } from './collect/run.js';
import type { Config } from './config/schema.js';
import { attestResults } from './evaluate/attestations.js';
import { complianceView } from './evaluate/compliance.js';
import { evaluateResults, reportOf } from './evaluate/engine.js';
import type { Report } from './evaluate/report.js';
import { skipWaivedChecks, waiveResults } from './evaluate/waivers.js';
import { isStateFactKey, SNAPSHOT_VERSION, STATE_FACT_KEYS, type FactMap, type FactsSnapshot, type TargetFactKey } from './facts/index.js';
import type { Fact } from './facts/fact.js';
import { loadStateFacts, type StateSource } from './store/state-facts.js';
import { nameTarget } from './target/name.js';
import type { Target } from './target/types.js';
import { VERSION } from './version.js';
import { redactUrlPassword } from './util/redact.js';

/**
 * The audit pipeline, without arguments, storage or rendering (the CLI's part):
 *
 *   collectSnapshot(target, config)            Target → FactsSnapshot (target facts + state facts)
 *   replaySnapshot(saved)                      a saved snapshot, ready to be evaluated again
 *   evaluateSnapshot(snapshot, config, now)    FactsSnapshot → Report: checks → attestations → waivers,
 *                                              then the summary and the score, once
 *
 * This is the one place that runs the collectors.
 */

/** How a snapshot is collected. */
export interface CollectOptions {
  /** The checks that will be evaluated: the facts they need are collected (and `host`, always). */
  checks: readonly Check[];
  /** `--target-name`: else the target's own /etc/hostname, else the kernel's name (live) or `target.name` (offline). */
  targetName?: string | undefined;
  /** Where the target's attestations and sign-offs are read (the machine running Rampart, never the target). */
  state: StateSource;
  /** Records the collection time (`collectedAt`), read when collection starts. */
  clock: () => Date;
  /** The evaluation time (`--now`) when it is not the collection time: decides which `run_check: false` waivers skip a check. */
  now?: Date | undefined;
  /** Per collector (ms). */
  collectorTimeoutMs: number;
  /** Per command a collector runs (ms). */
  commandTimeoutMs: number;
  /** The environment Rampart runs in (libpq's PG* variables, for instance). */
  env?: Record<string, string | undefined>;
  /** Told what will be collected, once the target is named (before any collector runs). */
  onStart?: (start: CollectionStart) => void;
  /** Told of each fact as it is collected. */
  onFact?: (key: TargetFactKey, fact: Fact<unknown>, ms: number) => void;
}

/** What a collection is about to collect: enough to write its snapshot if it is stopped half way. */
export interface CollectionStart {
  name: string;
  nameFrom: string;
  collectedAt: string;
  keys: TargetFactKey[];
}

/** Collects the facts the checks need from the target, and adds the target's state facts. */
export async function collectSnapshot(target: Target, config: Config, opts: CollectOptions): Promise<FactsSnapshot> {
  // History, diff and waiver host: globs key on this name: the host's own (its /etc/hostname, read
  // inside an offline root), not the path it happens to be mounted on.
  const named = await nameTarget(target, opts.targetName, target.name);
  const collectedAt = opts.clock();
  // Checks that an active `run_check: false` waiver skips need no facts.
  const keys = new Set<TargetFactKey>(['host']);
  const skipped = skipWaivedChecks(opts.checks, config.waivers, { now: opts.now ?? collectedAt, targetName: named.name });
  for (const c of skipped) for (const k of c.needs) if (!isStateFactKey(k)) keys.add(k);
  opts.onStart?.({ name: named.name, nameFrom: named.from, collectedAt: collectedAt.toISOString(), keys: [...keys] });
  const { facts, timings, batch } = await collectFacts(
    COLLECTORS,
    [...keys],
    { target, config, commandTimeoutMs: opts.commandTimeoutMs, ...(opts.env ? { env: opts.env } : {}) },
    opts.collectorTimeoutMs,
    opts.onFact,
  );
  return assembleSnapshot(
    target,
    config,
    { name: named.name, nameFrom: named.from, collectedAt: collectedAt.toISOString() },
    {
      facts,
      timings,
      batch,
      state: opts.state,
    },
  );
}

/** A snapshot from what was collected (collectSnapshot, or the watchdog with the facts that finished in time). */
export function assembleSnapshot(
  target: Pick<Target, 'kind' | 'root' | 'live'>,
  config: Config,
  named: Omit<CollectionStart, 'keys'>,
  parts: { facts: FactMap; timings: Record<string, number>; batch: FactsSnapshot['batch']; state: StateSource },
): FactsSnapshot {
  const { facts, timings, batch } = parts;
  return {
    schemaVersion: SNAPSHOT_VERSION,
    tool: { name: 'rampart', version: VERSION },
    collectedAt: named.collectedAt,
    target: { kind: target.kind, name: named.name, nameFrom: named.nameFrom, root: target.root },
    live: target.live,
    // the snapshot keeps the configuration it was collected with, never its passwords
    config: {
      ...config,
      redis: { ...config.redis, url: redactUrlPassword(config.redis.url) },
      postgres: { ...config.postgres, url: redactUrlPassword(config.postgres.url) },
    },
    timings,
    ...(batch ? { batch } : {}),
    facts: { ...facts, ...loadStateFacts(parts.state, named.name) },
  };
}

/**
 * A saved snapshot (`--facts`) as it is evaluated again: its target is reported as `facts`. A snapshot
 * records the attestations and sign-offs it was collected with; an older one without them gets those
 * of the state directory.
 */
export function replaySnapshot(saved: FactsSnapshot, state: StateSource): FactsSnapshot {
  const missing = STATE_FACT_KEYS.some((k) => saved.facts[k] === undefined);
  const facts = missing ? { ...loadStateFacts(state, saved.target.name), ...saved.facts } : saved.facts;
  return { ...saved, target: { ...saved.target, kind: 'facts' }, facts };
}

/** How a snapshot is evaluated, besides its configuration and time. */
export interface EvaluateSnapshotOptions {
  /** The selected checks (selectChecks), for the profile. */
  checks: readonly Check[];
  profile: Profile;
  startedAt: Date;
  durationMs: number;
  /** `--compliance`: the results grouped by that framework's controls. */
  compliance?: Framework | null;
}

/**
 * Evaluates a snapshot: the checks (those an active `run_check: false` waiver covers are not run), then
 * the attestations (they decide `manual` results), then the waivers; the summary and the score are
 * computed once, at the end. Pure.
 *
 * `config` is the snapshot's own unless `--config` replaces it; `now` is the snapshot's collection time
 * unless `--now` replaces it.
 */
export function evaluateSnapshot(snapshot: FactsSnapshot, config: Config, now: Date, opts: EvaluateSnapshotOptions): Report {
  const waiverCtx = { now, targetName: snapshot.target.name };
  const checks = skipWaivedChecks(opts.checks, config.waivers, waiverCtx);
  const att = snapshot.facts.attestations;
  let results = evaluateResults(snapshot, { checks, profile: opts.profile, now, config });
  results = attestResults(results, att?.state === 'collected' ? att.value : null, now);
  results = waiveResults(results, config.waivers, waiverCtx);
  const report = reportOf(snapshot, results, {
    profile: opts.profile,
    startedAt: opts.startedAt.toISOString(),
    durationMs: opts.durationMs,
  });
  return opts.compliance ? { ...report, compliance: complianceView(report.results, opts.compliance) } : report;
}
