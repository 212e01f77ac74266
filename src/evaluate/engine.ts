import type { Profile, Severity } from '../catalog/types.js';
import type { Check, EvalContext } from '../checks/define.js';
import { STATUSES, unknown, type Verdict } from '../checks/verdict.js';
import { failed } from '../facts/fact.js';
import type { FactKey, FactsSnapshot } from '../facts/index.js';
import type { Config } from '../config/schema.js';
import { REPORT_VERSION, type Report, type Result, type Score, type Summary } from './report.js';

const SECTION_ORDER = (s: string) =>
  s
    .split('.')
    .map((n) => n.padStart(3, '0'))
    .join('.');

export function runCheck(check: Check, snapshot: FactsSnapshot, ctx: EvalContext): Verdict {
  const facts: Partial<Record<FactKey, unknown>> = {};
  for (const key of check.needs) {
    const fact = snapshot.facts[key];
    if (check.optional.includes(key)) {
      facts[key] = fact ?? failed(`The ${key} facts were not collected`);
      continue;
    }
    if (!fact) return unknown(`The ${key} facts were not collected`);
    if (fact.state === 'failed') return unknown(`Could not determine the ${key} facts: ${fact.reason}`);
    if (fact.state === 'absent') {
      const handler = check.onAbsent[key];
      return handler ? handler(fact.reason) : { status: 'na', summary: fact.reason, findings: [] };
    }
    facts[key] = fact.value;
  }
  try {
    return check.evaluate(facts, ctx);
  } catch (e) {
    return unknown(`The check failed with an internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export interface EvaluateOptions {
  checks: readonly Check[];
  profile: Profile;
  /** Defaults to the snapshot's collection time. */
  now?: Date;
  /** Defaults to the configuration recorded in the snapshot. */
  config?: Config;
  startedAt: string;
  durationMs: number;
}

export function summarize(results: readonly Pick<Result, 'status'>[]): Summary {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Summary;
  for (const r of results) summary[r.status]++;
  return summary;
}

const WEIGHTS: Record<Severity, number> = { critical: 5, high: 3, medium: 2, low: 1, info: 0 };

/**
 * Score (DESIGN.md): severity-weighted share of decided requirements (pass, fail, warn) that pass.
 * Before waivers a waived result counts as the failure it is; after waivers it leaves the decided set.
 */
export function score(results: readonly Pick<Result, 'status' | 'severity'>[], afterWaivers: boolean): number | null {
  let total = 0;
  let passed = 0;
  for (const r of results) {
    const status = r.status === 'waived' && !afterWaivers ? 'fail' : r.status;
    if (status !== 'pass' && status !== 'fail' && status !== 'warn') continue;
    total += WEIGHTS[r.severity];
    if (status === 'pass') passed += WEIGHTS[r.severity];
  }
  return total === 0 ? null : Math.round((passed / total) * 1000) / 10;
}

function scoreOf(results: readonly Pick<Result, 'status' | 'severity'>[]): Score {
  return { beforeWaivers: score(results, false), afterWaivers: score(results, true) };
}

/** The report with other results, their summary and score recomputed. */
export function withResults(report: Report, results: Result[]): Report {
  return { ...report, results, summary: summarize(results), score: scoreOf(results) };
}

/** The checks' results on a snapshot, in section order, before attestations and waivers. Pure. */
export function evaluateResults(snapshot: FactsSnapshot, opts: Pick<EvaluateOptions, 'checks' | 'profile' | 'now' | 'config'>): Result[] {
  const ctx: EvalContext = {
    now: opts.now ?? new Date(snapshot.collectedAt),
    profile: opts.profile,
    config: opts.config ?? snapshot.config,
    live: snapshot.live,
  };
  const ordered = [...opts.checks].sort((a, b) => SECTION_ORDER(a.section).localeCompare(SECTION_ORDER(b.section)));
  return ordered.map((check) => {
    const v = runCheck(check, snapshot, ctx);
    return {
      id: check.id,
      section: check.section,
      title: check.title,
      severity: check.severity,
      kind: check.kind,
      status: v.status,
      summary: v.summary,
      findings: v.findings,
      remediation: check.remediation,
      controls: check.controls,
      ...collectMsOf(check.needs, snapshot.timings),
    };
  });
}

function collectMsOf(needs: readonly string[], timings: Readonly<Record<string, number>>): { collectMs?: number } {
  const ms = needs.map((k) => timings[k]).filter((v): v is number => v !== undefined);
  return ms.length > 0 ? { collectMs: Math.max(...ms) } : {};
}

/** The report of final results: their summary and score are computed here, once. */
export function reportOf(
  snapshot: FactsSnapshot,
  results: Result[],
  meta: Pick<EvaluateOptions, 'profile' | 'startedAt' | 'durationMs'>,
): Report {
  return {
    schemaVersion: REPORT_VERSION,
    tool: snapshot.tool,
    target: snapshot.target,
    profile: meta.profile,
    live: snapshot.live,
    startedAt: meta.startedAt,
    collectedAt: snapshot.collectedAt,
    durationMs: meta.durationMs,
    ...(snapshot.batch ? { batch: snapshot.batch } : {}),
    results,
    summary: summarize(results),
    score: scoreOf(results),
    trend: [],
  };
}

/**
 * The checks' report, without attestations or waivers (the audit pipeline, src/audit.ts, applies
 * them). Pure: the same snapshot and options give the same results.
 */
export function evaluate(snapshot: FactsSnapshot, opts: EvaluateOptions): Report {
  return reportOf(snapshot, evaluateResults(snapshot, opts), opts);
}
