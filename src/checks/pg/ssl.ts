import type { PgCluster, PgFileStat } from '../../facts/postgres.js';
import {
  describeRule,
  isRemoteRule,
  judgeCluster,
  judgeClusters,
  liveProblem,
  settingEvidence,
  staticProblem,
  type PgEvidence,
  type PgJudgement,
} from './_lib.js';
import { defineCheck } from '../define.js';

/** The guide, section 4.2: TLS 1.2 or newer. */
const OK_PROTOCOLS = ['TLSv1.2', 'TLSv1.3'];
const UNENCRYPTED = new Set(['host', 'hostnossl', 'hostnogssenc']);
const SETTINGS = ['ssl', 'ssl_cert_file', 'ssl_key_file', 'ssl_min_protocol_version'] as const;

const fileEvidence = (f: PgFileStat, message: string): PgEvidence => ({ path: f.path, message });

/** be-secure-common.c: owned by the server user with no group/other access, or by root with at most group read. */
function keyProblem(c: PgCluster, k: PgFileStat): string | null {
  if (k.state !== 'ok' || k.mode === null) return `the key file ${k.path} cannot be read: ${k.detail ?? k.state}`;
  const mode = `0${(k.mode & 0o777).toString(8)}`;
  if (k.uid === 0) return (k.mode & 0o037) === 0 ? null : `the key file ${k.path} is mode ${mode}, root-owned (at most 0640 expected)`;
  if (k.uid !== null && k.uid === c.serviceUser.uid)
    return (k.mode & 0o077) === 0 ? null : `the key file ${k.path} is mode ${mode}, owned by ${c.serviceUser.name} (0600 expected)`;
  return `the key file ${k.path} is owned by uid ${k.uid ?? '?'}, neither root nor ${c.serviceUser.name}`;
}

function judge(c: PgCluster): PgJudgement {
  const early = liveProblem(c) ?? staticProblem(c);
  if (early) return early;
  const s = (n: (typeof SETTINGS)[number]) => c.settings[n]!;
  const bad: PgEvidence[] = [];
  const notes: string[] = [];
  if (s('ssl').value !== 'on') bad.push(settingEvidence(s('ssl'), 'ssl', `ssl is ${JSON.stringify(s('ssl').text)}`));
  else if (!c.sslFiles)
    bad.push(
      settingEvidence(s('ssl_cert_file'), 'ssl_cert_file', 'the certificate and key paths cannot be resolved (data directory unknown)'),
    );
  else {
    const { cert, key } = c.sslFiles;
    if (cert.state !== 'ok') bad.push(fileEvidence(cert, `the certificate ${cert.path} cannot be read: ${cert.detail ?? cert.state}`));
    const k = keyProblem(c, key);
    if (k) bad.push(fileEvidence(key, k));
  }
  const proto = s('ssl_min_protocol_version');
  if (!OK_PROTOCOLS.includes(proto.value ?? ''))
    bad.push(
      settingEvidence(
        proto,
        'ssl_min_protocol_version',
        `ssl_min_protocol_version is ${JSON.stringify(proto.text)} (TLSv1.2 or newer expected)`,
      ),
    );
  else if (proto.value === 'TLSv1.3') notes.push('TLSv1.3 minimum: stricter than the guide');
  if (c.hba.state === 'unreadable')
    return {
      status: 'unknown',
      summary: `pg_hba.conf cannot be read: ${c.hba.detail ?? ''}`,
      evidence: [...bad, { ...(c.hba.path ? { path: c.hba.path } : { note: 'pg_hba.conf' }), message: c.hba.detail ?? 'unreadable' }],
    };
  for (const r of c.hba.rules)
    if (isRemoteRule(r) && UNENCRYPTED.has(r.type))
      bad.push({ ...r.source, message: `remote line is ${r.type}, not hostssl: ${describeRule(r)}` });
  const remote = c.hba.rules.filter(isRemoteRule).length;
  return judgeCluster(
    c,
    bad,
    `ssl on, minimum ${proto.text}, ${remote} remote pg_hba line(s), all hostssl`,
    [
      ...SETTINGS.map((n) => settingEvidence(s(n), n)),
      ...(c.sslFiles
        ? [fileEvidence(c.sslFiles.key, `key ${c.sslFiles.key.path} mode 0${((c.sslFiles.key.mode ?? 0) & 0o777).toString(8)}`)]
        : []),
    ],
    SETTINGS,
    notes,
  );
}

export default defineCheck({
  id: 'pg.ssl',
  remediation:
    "Set ssl = on with ssl_cert_file/ssl_key_file (key 0600 owned by postgres, or 0640 root:ssl-cert), ssl_min_protocol_version = 'TLSv1.2', use hostssl for every non-loopback pg_hba line, then reload PostgreSQL.",
  needs: ['postgres'],
  evaluate({ postgres }) {
    return judgeClusters(postgres, judge);
  },
});
