import { defineCheck } from '../define.js';
import { fail, pass, unknown, warn, type Evidence } from '../verdict.js';
import type { PasswordPolicyFacts } from '../../facts/accounts.js';

export const MIN_LENGTH = 12;
export const MIN_CLASSES = 3;
const STRONG_HASHES = ['yescrypt', 'sha512'];

/** The quality module's findings: empty when it meets the policy. */
function qualityProblems(p: PasswordPolicyFacts): Evidence[] {
  const q = p.pwquality;
  if (q) {
    const out: Evidence[] = [];
    if (q.minlen.value < MIN_LENGTH)
      out.push({ ...q.minlen.source, message: `pam_pwquality minlen is ${q.minlen.value} (< ${MIN_LENGTH})` });
    const credits = [q.dcredit, q.ucredit, q.lcredit, q.ocredit];
    if (q.minclass.value < MIN_CLASSES && !credits.every((c) => c.value <= -1))
      out.push({
        ...q.minclass.source,
        message: `pam_pwquality minclass is ${q.minclass.value} and d/u/l/ocredit are ${credits.map((c) => c.value).join('/')}: no complexity of ${MIN_CLASSES}+ classes`,
      });
    if (q.enforcing.value === 0)
      out.push({ ...q.enforcing.source, message: 'pam_pwquality enforcing = 0: weak passwords are only warned about' });
    return out;
  }
  const qc = p.passwdqc!;
  const [n0, n1, n2, n3, n4] = qc.min;
  const out: Evidence[] = [];
  if (n0 != null || n1 != null || n2 != null)
    out.push({
      ...qc.source,
      message: `pam_passwdqc min=${qc.min.map((v) => v ?? 'disabled').join(',')} allows passwords of fewer than 3 classes (N0, N1, N2 must be disabled)`,
    });
  if ((n3 ?? Infinity) < MIN_LENGTH || (n4 ?? Infinity) < MIN_LENGTH)
    out.push({ ...qc.source, message: `pam_passwdqc N3/N4 are ${n3 ?? 'disabled'}/${n4 ?? 'disabled'} (< ${MIN_LENGTH})` });
  return out;
}

export default defineCheck({
  id: 'accounts.password-policy',
  remediation:
    'Put pam_pwquality in the password stack with minlen=12 minclass=3 (in /etc/security/pwquality.conf) and hash with yescrypt (pam_unix option; ENCRYPT_METHOD YESCRYPT in /etc/login.defs).',
  fix: {
    fixes: ['accounts.password-policy'],
    risk: 'disruptive',
    steps: [
      {
        kind: 'command',
        argv: ['apt-get', 'install', '-y', 'libpam-pwquality'],
        purpose: 'pam-auth-update puts pam_pwquality in common-password',
      },
      { kind: 'set-directive', service: 'pwquality', directive: 'minlen', value: '12' },
      { kind: 'set-directive', service: 'pwquality', directive: 'minclass', value: '3' },
      { kind: 'set-directive', service: 'login.defs', directive: 'ENCRYPT_METHOD', value: 'YESCRYPT' },
    ],
    note: 'A PAM change: keep a second root session open until a password change and a new login work.',
  },
  needs: ['accounts'],
  evaluate({ accounts }) {
    const p = accounts.passwordPolicy;
    const unsure: Evidence[] = p.problems.map((x) => ({ ...x.source, message: x.message }));
    const module = p.stack.find((l) => l.module === 'pam_pwquality.so' || l.module === 'pam_passwdqc.so');
    if (!module) {
      if (!p.stackEntry || p.stack.length === 0)
        return unknown(`no PAM password stack could be read: ${unsure.map((u) => u.message).join('; ') || 'empty stack'}`, unsure);
      return fail(`neither pam_pwquality nor pam_passwdqc is in the password stack of ${p.stackEntry}`, [
        { ...p.stack[0]!.source, message: `password stack: ${p.stack.map((l) => l.module).join(', ')}` },
        ...unsure,
      ]);
    }
    const bad = qualityProblems(p);
    const hash = p.hashMethod!;
    if (!STRONG_HASHES.includes(hash.value))
      bad.push({ ...hash.source, message: `new passwords are hashed with ${hash.value}, not yescrypt or SHA-512` });
    const notes: Evidence[] = [];
    if (module.skippableBy)
      notes.push({
        ...module.skippableBy,
        message: `this line can jump over ${module.module} (${module.source.path}:${module.source.line})`,
      });
    const weak = accounts.details.filter(
      (d) =>
        (d.password.kind === 'hashed' || d.password.kind === 'locked') &&
        d.password.algorithm !== null &&
        !STRONG_HASHES.includes(d.password.algorithm),
    );
    for (const d of weak)
      notes.push({
        ...d.passwordSource,
        message: `${d.name}'s stored hash uses ${'algorithm' in d.password ? String(d.password.algorithm) : '?'} (rehashed at the next password change)`,
      });
    const stackLine: Evidence = { ...module.source, message: `${module.module} in the password stack of ${p.stackEntry ?? '?'}` };
    if (bad.length) return fail(bad.map((b) => b.message).join('; '), [...bad, stackLine, ...notes, ...unsure]);
    if (unsure.length) return unknown(`cannot be sure of the effective settings: ${unsure.map((u) => u.message).join('; ')}`, unsure);
    const summary = p.pwquality
      ? `pam_pwquality minlen=${p.pwquality.minlen.value}, minclass=${p.pwquality.minclass.value}; hash ${hash.value}`
      : `pam_passwdqc min=${p.passwdqc!.min.map((v) => v ?? 'disabled').join(',')}; hash ${hash.value}`;
    const good: Evidence[] = [stackLine, { ...hash.source, message: `hash method ${hash.value}` }];
    if (p.pwquality)
      good.push(
        { ...p.pwquality.minlen.source, message: `minlen=${p.pwquality.minlen.value}` },
        { ...p.pwquality.minclass.source, message: `minclass=${p.pwquality.minclass.value}` },
      );
    if (notes.length) return warn(`${summary}; but ${notes.map((n) => n.message).join('; ')}`, [...notes, ...good]);
    return pass(summary, good);
  },
});
