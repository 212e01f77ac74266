import type { PgCluster } from '../../facts/postgres.js';
import { judgeCluster, judgeClusters, liveProblem, settingEvidence, staticProblem, type PgEvidence, type PgJudgement } from './_lib.js';
import { defineCheck, type EvalContext } from '../define.js';

const PASSWORD_METHODS = new Set(['md5', 'password', 'scram-sha-256']);
const DAY_MS = 24 * 60 * 60 * 1000;

function judge(c: PgCluster, ctx: EvalContext): PgJudgement {
  const early = liveProblem(c) ?? staticProblem(c);
  if (early) return early;
  const pe = c.settings.password_encryption!;
  const bad: PgEvidence[] = [];
  const notes: string[] = [];
  if (pe.value !== 'scram-sha-256')
    bad.push(settingEvidence(pe, 'password_encryption', `password_encryption is ${JSON.stringify(pe.text)}`));
  const roles = c.live.roles;
  let rolesUnknown: string | null = null;
  if (c.live.state !== 'connected') {
    // The roles are the decisive half (an md5 hash or an empty password stays whatever
    // password_encryption says for new ones): a good setting alone is not a pass.
    const why = c.live.state === 'offline' ? 'offline root' : 'server not running';
    if (!bad.length)
      return {
        status: 'unknown',
        summary: `password_encryption is ${JSON.stringify(pe.text)} (judged); the login roles' password hashes, empty passwords and VALID UNTIL were not seen (${why}: pg_authid is read from a running server)`,
        evidence: [settingEvidence(pe, 'password_encryption'), { ...c.live.source, message: `roles not inspected: ${why}` }],
      };
    notes.push(`roles not inspected: ${why}`);
  } else if (!roles || roles.state === 'error') rolesUnknown = roles?.detail ?? 'roles were not read';
  else {
    const byPassword = c.hba.rules.some((r) => PASSWORD_METHODS.has(r.method));
    const cutoff = ctx.now.getTime() - ctx.config.periods.password_rotation * DAY_MS;
    for (const r of roles.list.filter((x) => x.canLogin)) {
      if (r.password === 'md5') bad.push({ ...roles.source, message: `role "${r.name}" has an md5 password hash` });
      if (r.password === 'empty' && byPassword)
        bad.push({ ...roles.source, message: `role "${r.name}" can log in with an empty password over a password method` });
      if (r.validUntil && new Date(r.validUntil).getTime() < cutoff)
        bad.push({
          ...roles.source,
          message: `role "${r.name}" has rolvaliduntil ${r.validUntil.slice(0, 10)}, more than ${ctx.config.periods.password_rotation} days before ${ctx.now.toISOString().slice(0, 10)}`,
        });
    }
    if (roles.list.some((r) => r.password === 'hidden')) rolesUnknown = roles.detail;
    else notes.push(`${roles.list.filter((r) => r.canLogin).length} login role(s) checked`);
  }
  if (!bad.length && rolesUnknown)
    return {
      status: 'unknown',
      summary: `password_encryption is ${JSON.stringify(pe.text)}, but the roles' password hashes cannot be read: ${rolesUnknown}`,
      evidence: [settingEvidence(pe, 'password_encryption'), { ...(roles?.source ?? c.live.source), message: rolesUnknown }],
    };
  return judgeCluster(
    c,
    bad,
    `password_encryption is ${JSON.stringify(pe.text)}, no md5 hash, no empty password, no rolvaliduntil older than ${ctx.config.periods.password_rotation} days`,
    [settingEvidence(pe, 'password_encryption'), ...(roles ? [{ ...roles.source, message: roles.detail }] : [])],
    ['password_encryption'],
    notes,
  );
}

export default defineCheck({
  id: 'pg.password-strength',
  remediation:
    "Set password_encryption = 'scram-sha-256', re-set every md5-hashed password (ALTER ROLE … PASSWORD) so it is stored as SCRAM, and rotate passwords whose VALID UNTIL lies beyond the rotation period.",
  fix: {
    fixes: ['pg.password-strength'],
    risk: 'safe',
    steps: [{ kind: 'set-directive', service: 'postgresql', directive: 'password_encryption', value: 'scram-sha-256' }],
    note: 'New passwords are stored as SCRAM; existing md5 hashes stay until the password of each role is set again (ALTER ROLE … PASSWORD).',
  },
  needs: ['postgres'],
  evaluate({ postgres }, ctx) {
    return judgeClusters(postgres, (c) => judge(c, ctx));
  },
});
