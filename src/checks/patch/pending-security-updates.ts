import { defineCheck } from '../define.js';
import { fail, pass, unknown, warn, type Evidence } from '../verdict.js';

const DAY_MS = 86_400_000;

export default defineCheck({
  id: 'patch.pending-security-updates',
  remediation:
    'Run apt-get update && apt-get upgrade (or let unattended-upgrades run) and reboot or restart what the updated packages need.',
  needs: ['packages'],
  evaluate({ packages: p }, ctx) {
    const u = p.updates;
    if (u.pending === null || p.lists.state === 'none') return unknown(u.reason ?? 'no package lists to compare against', { ...u.method });
    const age = p.lists.updatedAt === null ? null : Math.floor((ctx.now.getTime() - Date.parse(p.lists.updatedAt)) / DAY_MS);
    const limit = ctx.config.periods.package_lists_stale;
    const stale: Evidence[] =
      age !== null && age > limit
        ? [
            {
              ...(p.lists.updatedSource ?? {}),
              message: `the package lists are ${age} days old (last updated ${p.lists.updatedAt ?? '?'}; limit ${limit} days): newer fixes may be missing`,
            },
          ]
        : [];
    const sec = u.pending.filter((x) => x.security);
    if (sec.length > 0) {
      const findings: Evidence[] = sec.map((x) => ({
        ...u.method,
        message: `${x.name}:${x.arch} ${x.installed} → ${x.candidate} (${x.origins.join(', ')})`,
      }));
      const names = sec
        .slice(0, 5)
        .map((x) => `${x.name} ${x.installed} → ${x.candidate}`)
        .join(', ');
      return fail(`${sec.length} security update(s) pending: ${names}${sec.length > 5 ? ', …' : ''}`, [...findings, ...stale]);
    }
    if (p.lists.problems.length > 0)
      return unknown(
        `the candidates cannot be computed exactly: ${p.lists.problems.map((x) => x.reason).join('; ')}`,
        p.lists.problems.map((x) => ({ ...x.source, message: x.reason })),
      );
    if (stale.length > 0) return warn(`no security update pending by lists ${age ?? '?'} days old (limit ${limit})`, stale);
    // Lists of unknown age may be years old: "nothing pending" by them is not seen to be true today.
    if (p.lists.updatedAt === null)
      return unknown(
        `no security update pending by package lists of unknown age (no update stamp, no list file time): whether they are current is not seen`,
        { ...u.method },
      );
    return pass(`no security update pending (${u.pending.length} other update(s); lists updated ${p.lists.updatedAt})`, { ...u.method });
  },
});
