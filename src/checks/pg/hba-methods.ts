import type { PgCluster } from '../../facts/postgres.js';
import { describeRule, judgeCluster, judgeClusters, liveProblem, staticProblem, type PgEvidence, type PgJudgement } from './_lib.js';
import { defineCheck } from '../define.js';

/** The guide, section 4.2: no trust or clear-text password, md5 is a finding, local lines peer or scram. */
const FORBIDDEN: Record<string, string> = {
  trust: 'trust (no authentication)',
  password: 'password (clear text)',
  md5: 'md5 (weak hash; use scram-sha-256)',
};
const LOCAL_OK = new Set(['peer', 'scram-sha-256', 'reject']);

function judge(c: PgCluster): PgJudgement {
  const early = liveProblem(c) ?? staticProblem(c);
  if (early) return early;
  if (c.hba.state === 'unreadable')
    return {
      status: 'unknown',
      summary: `pg_hba.conf cannot be read: ${c.hba.detail ?? ''}`,
      evidence: [{ ...(c.hba.path ? { path: c.hba.path } : { note: 'pg_hba.conf' }), message: c.hba.detail ?? 'unreadable' }],
    };
  const bad: PgEvidence[] = c.hba.errors.map((e) => ({
    ...e.source,
    message: `PostgreSQL rejects ${e.source.path ?? 'pg_hba.conf'}:${e.source.line ?? ''}: ${e.message} (the whole file is refused)`,
  }));
  for (const r of c.hba.rules) {
    const why = FORBIDDEN[r.method];
    if (why) bad.push({ ...r.source, message: `${r.type} line uses ${why}: ${describeRule(r)}` });
    else if (r.type === 'local' && !LOCAL_OK.has(r.method))
      bad.push({ ...r.source, message: `local line uses ${r.method} (peer or scram-sha-256 expected): ${describeRule(r)}` });
  }
  const methods = [...new Set(c.hba.rules.map((r) => r.method))].join(', ') || 'none';
  return judgeCluster(
    c,
    bad,
    `${c.hba.rules.length} pg_hba rule(s) (${c.hba.path ?? '?'}, from ${c.hba.from}), methods: ${methods}`,
    c.hba.rules.map((r) => ({ ...r.source, message: describeRule(r) })),
    [],
  );
}

export default defineCheck({
  id: 'pg.hba-methods',
  remediation:
    'In pg_hba.conf replace trust, password and md5 with scram-sha-256 (peer for local lines), re-set md5-hashed passwords under password_encryption = scram-sha-256, then reload PostgreSQL.',
  fix: {
    fixes: ['pg.hba-methods'],
    risk: 'disruptive',
    steps: [{ kind: 'set-directive', service: 'pg_hba', directive: 'method', value: 'scram-sha-256' }],
    note: 'trust, password and md5 records become scram-sha-256: a client without a password, or a role whose password is stored as an md5 hash, can no longer log in by them (set the password again under password_encryption = scram-sha-256 first).',
  },
  needs: ['postgres'],
  evaluate({ postgres }) {
    return judgeClusters(postgres, judge);
  },
});
