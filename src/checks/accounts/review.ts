import { defineCheck } from '../define.js';
import { fail, pass, unknown, warn, type Evidence } from '../verdict.js';
import type { AccountDetail } from '../../facts/accounts.js';

const DAY_MS = 86_400_000;
/** The overflow UID (nobody, 65534) is no human account. */
const OVERFLOW_UID = 65534;

function lastLoginText(d: AccountDetail): string {
  const l = d.lastLogin;
  if (l.kind === 'at') return `last login ${l.time.slice(0, 10)}${l.host ? ` from ${l.host}` : ''}`;
  return l.kind === 'never' ? 'never logged in' : `last login unknown (${l.reason})`;
}

/**
 * Verdicts: an empty password field is a `fail`; a system account (UID < UID_MIN, root excepted)
 * with a login shell is a `fail` when its password is usable, else a `warn`; a human account with no
 * login for periods.inactive_account days (or never, with a password older than that) is a `warn`.
 */
export default defineCheck({
  id: 'accounts.review',
  remediation:
    'Remove or lock inactive accounts (usermod -L -e 1), set nologin as the shell of system accounts, give every account a password or lock it, then sign off the review.',
  needs: ['accounts'],
  evaluate({ accounts: a }, { now, config }) {
    const today = Math.floor(now.getTime() / DAY_MS);
    const period = config.periods.inactive_account;
    const failures: Evidence[] = [];
    const warnings: Evidence[] = [];
    const unsure: Evidence[] = [];
    const listing: Evidence[] = [];
    for (const d of a.details) {
      const src = a.users.find((u) => u.name === d.name)?.source ?? d.passwordSource;
      if (d.password.kind === 'empty') failures.push({ ...d.passwordSource, message: `${d.name} has an empty password field` });
      if (!d.loginShell) continue;
      const age = d.aging?.lastChange ? today - d.aging.lastChange : null;
      listing.push({
        ...src,
        message: `${d.name} (UID ${d.uid}, ${d.shell}): groups ${d.groups.join(',') || '-'}; ${lastLoginText(d)}; password ${d.password.kind}${age !== null ? `, changed ${age} days ago` : ''}`,
      });
      if (d.uid < a.uidMin.value) {
        if (d.name === 'root') continue;
        const usable = d.password.kind === 'hashed' || d.password.kind === 'empty';
        (usable ? failures : warnings).push({
          ...src,
          message: `system account ${d.name} (UID ${d.uid}) has login shell ${d.shell}${usable ? ' and a usable password' : ''}`,
        });
        continue;
      }
      if (d.uid === OVERFLOW_UID) continue;
      const l = d.lastLogin;
      if (l.kind === 'at') {
        const idle = Math.floor((now.getTime() - Date.parse(l.time)) / DAY_MS);
        if (idle >= period)
          warnings.push({
            ...l.source,
            message: `${d.name} last logged in ${idle} days ago (${l.time.slice(0, 10)}), over ${period} days`,
          });
      } else if (l.kind === 'never') {
        if (age !== null && age >= period)
          warnings.push({ ...l.source, message: `${d.name} never logged in; password set ${age} days ago, over ${period} days` });
      } else unsure.push({ ...src, message: `${d.name}: ${l.reason}` });
    }
    const unreadable = a.problems.map((p) => ({ ...p.source, message: p.message }));
    const evidence = [...failures, ...warnings, ...unsure, ...unreadable, ...listing];
    const n = `${listing.length} account(s) with a login shell`;
    if (failures.length) return fail(`${n}; ${failures.map((f) => f.message).join('; ')}`, evidence);
    // An unreadable file (shadow: password states) may hide a failure, so a warning seen alongside is no verdict.
    if (unreadable.length)
      return unknown(
        `${n}; cannot judge: ${[...unreadable, ...unsure].map((u) => u.message).join('; ')}${warnings.length ? `; seen: ${warnings.map((f) => f.message).join('; ')}` : ''}`,
        evidence,
      );
    if (warnings.length) return warn(`${n}; ${warnings.map((f) => f.message).join('; ')}`, evidence);
    if (unsure.length) return unknown(`${n}; cannot judge: ${unsure.map((u) => u.message).join('; ')}`, evidence);
    return pass(`${n}; no empty passwords, no system account with a login shell, none inactive for ${period}+ days`, evidence);
  },
});
