import type { PgCluster } from '../../facts/postgres.js';
import {
  cidrWithin,
  describeRule,
  judgeCluster,
  judgeClusters,
  liveProblem,
  settingEvidence,
  staticProblem,
  type PgEvidence,
  type PgJudgement,
} from './_lib.js';
import { defineCheck, type EvalContext } from '../define.js';

const WILDCARDS = new Set(['*', '0.0.0.0', '::']);

function judge(c: PgCluster, ctx: EvalContext): PgJudgement {
  const early = liveProblem(c) ?? staticProblem(c);
  if (early) return early;
  if (c.hba.state === 'unreadable')
    return {
      status: 'unknown',
      summary: `pg_hba.conf cannot be read: ${c.hba.detail ?? ''}`,
      evidence: [{ ...(c.hba.path ? { path: c.hba.path } : { note: 'pg_hba.conf' }), message: c.hba.detail ?? 'unreadable' }],
    };
  const apps = ctx.config.pg_app_servers;
  const bad: PgEvidence[] = [];
  const unsure: PgEvidence[] = [];
  const allowed: string[] = [];
  for (const r of c.hba.rules) {
    const a = r.address;
    if (r.type === 'local' || r.method === 'reject' || !a) continue;
    if (a.kind === 'all' || (a.kind === 'cidr' && a.any))
      bad.push({ ...r.source, message: `pg_hba allows any address (${a.text}): ${describeRule(r)}` });
    else if (a.kind === 'cidr' && !a.loopback) {
      if (apps.some((x) => cidrWithin(x, a))) allowed.push(a.cidr);
      else
        bad.push({
          ...r.source,
          message: `pg_hba allows ${a.cidr}, outside pg_app_servers (${apps.join(', ') || 'none configured'}): ${describeRule(r)}`,
        });
    } else if (a.kind === 'samenet' || a.kind === 'hostname')
      unsure.push({
        ...r.source,
        message: `pg_hba allows ${a.kind} ${a.text}, which cannot be matched against pg_app_servers: ${describeRule(r)}`,
      });
  }
  const listen = c.settings.listen_addresses!;
  const addrs = (listen.value ?? '').split(',').map((x) => x.trim());
  const wildcard = addrs.some((x) => WILDCARDS.has(x));
  if (wildcard && bad.length)
    bad.unshift(
      settingEvidence(listen, 'listen_addresses', `listen_addresses is ${JSON.stringify(listen.text)} and pg_hba does not narrow it`),
    );
  const notes = wildcard ? [`listen_addresses ${JSON.stringify(listen.text)} is narrowed by pg_hba`] : [];
  const j = judgeCluster(
    c,
    bad,
    `listen_addresses ${JSON.stringify(listen.text)}; remote sources ${allowed.length ? [...new Set(allowed)].join(', ') : 'none'} (within pg_app_servers)`,
    [
      settingEvidence(listen, 'listen_addresses'),
      ...c.hba.rules.filter((r) => r.type !== 'local').map((r) => ({ ...r.source, message: describeRule(r) })),
    ],
    ['listen_addresses'],
    notes,
  );
  if (j.status === 'pass' && unsure.length)
    return { status: 'warn', summary: `${j.summary}; ${unsure.map((u) => u.message).join('; ')}`, evidence: [...unsure, ...j.evidence] };
  return j;
}

export default defineCheck({
  id: 'pg.restricted-access',
  remediation:
    'In pg_hba.conf allow only the application servers (pg_app_servers) by address/CIDR, never 0.0.0.0/0, ::/0 or all; set listen_addresses to the needed interfaces; reload PostgreSQL.',
  needs: ['postgres'],
  evaluate({ postgres }, ctx) {
    return judgeClusters(postgres, (c) => judge(c, ctx));
  },
});
