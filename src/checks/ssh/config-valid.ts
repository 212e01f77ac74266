import { defineCheck } from '../define.js';
import { fail, pass, unknown } from '../verdict.js';

export default defineCheck({
  id: 'ssh.config-valid',
  remediation:
    'Run "sshd -t" and fix every error it names (unknown keywords, bad values, directives not allowed in Match) before reloading sshd.',
  needs: ['sshd'],
  evaluate({ sshd }) {
    const v = sshd.validation;
    const ev = (p: (typeof sshd.problems)[number]) => ({ path: p.path, ...(p.line !== null ? { line: p.line } : {}), message: p.message });
    const warnings = sshd.problems.filter((p) => p.severity === 'warning').map(ev);
    if (v.method === 'sshd -t') {
      const out = v.output ? `: ${v.output.split('\n')[0]!}` : '';
      const cmd = { command: v.command ?? 'sshd -t' };
      return v.ok
        ? pass(`${cmd.command} exits 0`, [{ ...cmd, message: `${cmd.command} exits 0` }, ...warnings])
        : fail(`${cmd.command} rejects the configuration${out}`, [
            { ...cmd, message: v.output ?? 'sshd -t failed', ...(v.output ? { excerpt: v.output } : {}) },
          ]);
    }
    const why = v.output ? ` (${v.output})` : '';
    const errors = sshd.problems.filter((p) => p.severity === 'error');
    const invalid = errors.filter((p) => p.kind !== 'unreadable');
    if (invalid.length)
      return fail(
        `${invalid.length} error(s) in the sshd configuration, first: ${invalid[0]!.path}${invalid[0]!.line ? `:${invalid[0]!.line}` : ''}: ${invalid[0]!.message}${why}`,
        invalid.map(ev),
      );
    if (errors.length)
      return unknown(`the sshd configuration could not be read completely: ${errors.map((p) => p.message).join('; ')}`, errors.map(ev));
    const exact = sshd.defaultsExact ? '' : ` (keywords judged against OpenSSH 9.2p1; installed ${sshd.version ?? 'unknown'})`;
    return pass(
      `${sshd.files.length} file(s) parse and every keyword is known to OpenSSH ${sshd.version ?? ''}${exact}${why}`.replace(/ {2}/g, ' '),
      [...sshd.files.map((path) => ({ path, message: 'parsed' })), ...warnings],
    );
  },
});
