import { describeSource, type Source } from '../../facts/evidence.js';
import type { PgCluster, PgHbaRule, PgSetting, PostgresFacts } from '../../facts/postgres.js';
import { cidrWithin as cidrWithinRange } from '../../util/ip.js';
import { fail, na, pass, unknown, warn, type Verdict } from '../verdict.js';

/** Shared judgement of the pg.* checks: one verdict per cluster, then one over all clusters. */
export type PgEvidence = Source & { message?: string };
export interface PgJudgement {
  status: 'pass' | 'fail' | 'warn' | 'unknown';
  summary: string;
  evidence: PgEvidence[];
}

const RANK = { pass: 0, warn: 1, unknown: 2, fail: 3 } as const;

/** One verdict over all clusters: the worst status; summaries and findings name their cluster. */
export function combineClusters(results: { cluster: PgCluster; j: PgJudgement }[]): PgJudgement {
  const worst = results.reduce<PgJudgement['status']>((w, r) => (RANK[r.j.status] > RANK[w] ? r.j.status : w), 'pass');
  const many = results.length > 1;
  const tag = (c: PgCluster, s: string) => (many ? `cluster ${c.name}: ${s}` : s);
  const shown = results.filter((r) => r.j.status === worst || !many);
  return {
    status: worst,
    summary: (many ? results.filter((r) => r.j.status === worst) : results).map((r) => tag(r.cluster, r.j.summary)).join('; '),
    evidence: [...shown, ...results.filter((r) => !shown.includes(r))].flatMap((r) =>
      r.j.evidence.map((e) => ({ ...e, message: `[${r.cluster.name}] ${e.message ?? r.j.summary}` })),
    ),
  };
}

const VERDICT = { pass, fail, warn, unknown } as const;

/** The check's verdict: `na` without a cluster, else each cluster judged and combined. */
export function judgeClusters(postgres: PostgresFacts, judge: (c: PgCluster) => PgJudgement): Verdict {
  if (postgres.clusters.length === 0) return na('PostgreSQL is installed but no cluster was found', postgres.installedEvidence);
  const j = combineClusters(postgres.clusters.map((cluster) => ({ cluster, j: judge(cluster) })));
  return VERDICT[j.status](j.summary, j.evidence);
}

export const settingEvidence = (s: PgSetting, name: string, message?: string): PgEvidence => ({
  ...s.source,
  message: message ?? `${name} = ${JSON.stringify(s.text)} (${describeSource(s.source)})`,
});

/** Drift of these settings as `warn` evidence, naming both values and their sources. */
export function driftEvidence(c: PgCluster, names: readonly string[]): PgEvidence[] {
  return names.flatMap((n) => {
    const s = c.settings[n];
    return s?.drift ? [{ ...s.file.source, message: s.drift }] : [];
  });
}

/**
 * The live probe failed on a running server: what the files say cannot be trusted to be what runs.
 * Returns the `unknown` judgement, or null when the files may be judged.
 */
export function liveProblem(c: PgCluster): PgJudgement | null {
  if (c.live.state !== 'failed') return null;
  return {
    status: 'unknown',
    summary: `the running server could not be queried: ${c.live.detail}`,
    evidence: [{ ...c.live.source, message: c.live.detail }],
  };
}

/** Whether `inner` (an address range) lies inside `outer` (a configured address or CIDR). */
export function cidrWithin(outer: string, inner: { cidr: string; prefix: number }): boolean {
  return cidrWithinRange(outer, `${inner.cidr.split('/')[0]!}/${inner.prefix}`);
}

/** Addresses a host* record lets in from beyond this machine (loopback and samehost stay local). */
export function isRemoteRule(r: PgHbaRule): boolean {
  if (r.type === 'local' || r.method === 'reject' || !r.address) return false;
  if (r.address.kind === 'cidr') return !r.address.loopback;
  return r.address.kind !== 'samehost';
}

export function describeRule(r: PgHbaRule): string {
  return `${describeSource(r.source)}: ${r.source.excerpt ?? [r.type, r.databases.join(','), r.users.join(','), r.address?.text ?? '', r.method].filter(Boolean).join(' ')}`;
}

/** Not connected and the files have errors PostgreSQL refuses: what it would use is not known. */
export function staticProblem(c: PgCluster): PgJudgement | null {
  if (c.live.state === 'connected') return null;
  const errs = c.problems.filter((p) => p.level === 'error');
  if (errs.length === 0) return null;
  return {
    status: 'unknown',
    summary: `the configuration has errors PostgreSQL refuses (it would not start; a reload keeps the old values): ${errs[0]!.message}`,
    evidence: errs.map((p) => ({ ...p.source, message: p.message })),
  };
}

/** The check's per-cluster judgement as pass/warn/fail, with drift as a warning. */
export function judgeCluster(
  c: PgCluster,
  bad: PgEvidence[],
  okSummary: string,
  okEvidence: PgEvidence[],
  driftOf: readonly string[],
  notes: string[] = [],
): PgJudgement {
  const drift = driftEvidence(c, driftOf);
  const note = notes.length ? ` (${notes.join('; ')})` : '';
  const more = bad.length > 3 ? `; and ${bad.length - 3} more` : '';
  if (bad.length)
    return {
      status: 'fail',
      summary: `${bad
        .slice(0, 3)
        .map((b) => b.message)
        .join('; ')}${more}${note}`,
      evidence: [...bad, ...drift],
    };
  if (drift.length)
    return {
      status: 'warn',
      summary: `${okSummary}, but running and on-disk values differ: ${drift.map((d) => d.message).join('; ')}`,
      evidence: [...drift, ...okEvidence],
    };
  return { status: 'pass', summary: `${okSummary}${note}`, evidence: okEvidence };
}
