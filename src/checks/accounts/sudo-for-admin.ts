import { defineCheck } from '../define.js';
import { fail, pass, unknown, type Evidence } from '../verdict.js';
import { describeSource } from '../../facts/evidence.js';

const octal = (m: number) => `0${m.toString(8).padStart(3, '0')}`;

export default defineCheck({
  id: 'accounts.sudo-for-admin',
  remediation:
    "Install sudo, keep /etc/sudoers and /etc/sudoers.d/* valid (visudo -c), owned by root and mode 0440, and lock root's password (passwd -l root) so administrators go through sudo.",
  needs: ['accounts'],
  evaluate({ accounts }) {
    const { sudo } = accounts;
    const bad: Evidence[] = [];
    const unsure: Evidence[] = [];
    if (!sudo.installed) bad.push({ ...sudo.installedSource, message: 'sudo is not installed' });
    // A /etc/sudoers that could not be read (mode 0440, an unprivileged run) is a problem, not an absence.
    const sudoersUnread = sudo.problems.some((p) => p.source.path === '/etc/sudoers' && p.source.line === undefined);
    if (sudo.files.length === 0 && !sudoersUnread) bad.push({ path: '/etc/sudoers', message: '/etc/sudoers does not exist' });
    for (const f of sudo.files) {
      const where = describeSource(f.source);
      if (!f.parsesOk)
        bad.push(
          ...(f.errors.length
            ? f.errors.map((e) => ({ ...e.source, message: `does not parse (${sudo.validatedBy}): ${e.message}` }))
            : [{ ...f.source, message: `${where} does not parse` }]),
        );
      if (!f.meta) unsure.push({ ...f.source, message: `owner and mode of ${where} unknown` });
      else {
        if (f.meta.uid !== 0) bad.push({ path: f.meta.path, message: `${f.meta.path} is owned by UID ${f.meta.uid}, not root` });
        if ((f.meta.mode & 0o022) !== 0)
          bad.push({ path: f.meta.path, message: `${f.meta.path} is mode ${octal(f.meta.mode)}: group/world-writable` });
      }
    }
    for (const p of sudo.problems) unsure.push({ ...p.source, message: p.message });
    const root = accounts.details.find((d) => d.name === 'root');
    if (!root) unsure.push({ path: '/etc/passwd', message: 'no root account in /etc/passwd' });
    else if (root.password.kind === 'unknown')
      unsure.push({ ...root.passwordSource, message: `root's password state unknown: ${root.password.reason}` });
    else if (root.password.kind !== 'locked')
      bad.push({
        ...root.passwordSource,
        message: `root's password is ${root.password.kind === 'empty' ? 'empty' : 'set (usable for su and console login)'}, not locked`,
      });

    // What could not be read decides nothing: with anything unseen the verdict is unknown, naming it
    // (and what was seen to be wrong, so nothing is lost).
    if (unsure.length)
      return unknown(
        `cannot judge: ${unsure.map((b) => b.message).join('; ')}${bad.length ? `; seen: ${bad.map((b) => b.message).join('; ')}` : ''}`,
        [...unsure, ...bad],
      );
    if (bad.length) return fail(bad.map((b) => b.message).join('; '), bad);
    const files = sudo.files.map((f) => ({
      ...f.source,
      message: `parses (${sudo.validatedBy}), owner root, mode ${octal(f.meta?.mode ?? 0)}`,
    }));
    return pass(`sudo installed; ${sudo.files.length} sudoers file(s) valid (${sudo.validatedBy}); root's password is locked`, [
      { ...sudo.installedSource, message: 'sudo installed' },
      ...files,
      { ...root!.passwordSource, message: "root's password is locked" },
    ]);
  },
});
