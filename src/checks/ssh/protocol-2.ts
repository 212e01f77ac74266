import { defineCheck } from '../define.js';
import { fail, pass, unknown } from '../verdict.js';
import { describeSource } from '../../facts/evidence.js';
import type { SshdProblem } from '../../facts/sshd.js';
import { outcomeVerdict, sshdRefusedOutcome } from './_lib.js';

/** OpenSSH 7.4 removed SSH protocol 1 from the server (release notes, 2016-12-19). */
const NO_PROTOCOL_1_SINCE: readonly [number, number] = [7, 4];
/** "Protocol 2,1" (sshd_config(5) of OpenSSH < 7.4: a comma-separated list of versions). */
const enablesProtocol1 = (p: SshdProblem): boolean => (p.args ?? []).some((a) => a.split(',').some((v) => v.trim() === '1'));

export default defineCheck({
  id: 'ssh.protocol-2',
  remediation:
    'Upgrade OpenSSH to 7.4 or later (no protocol 1 at all); on older versions set "Protocol 2". Remove obsolete Protocol lines.',
  needs: ['sshd'],
  evaluate({ sshd }) {
    const lines = sshd.problems.filter((p) => p.keyword === 'protocol');
    const evidence = lines.map((p) => ({ path: p.path, ...(p.line !== null ? { line: p.line } : {}), message: p.message }));
    const m = /^(\d+)\.(\d+)/.exec(sshd.version ?? '');
    if (!m) return unknown('the OpenSSH version could not be determined', [{ ...sshd.versionSource, message: 'version unknown' }]);
    const [maj, min] = [Number(m[1]), Number(m[2])];
    const modern = maj > NO_PROTOCOL_1_SINCE[0] || (maj === NO_PROTOCOL_1_SINCE[0] && min >= NO_PROTOCOL_1_SINCE[1]);
    const from = describeSource(sshd.versionSource);
    const refused = sshdRefusedOutcome(sshd);
    if (refused) return outcomeVerdict(refused);
    if (modern) {
      const note = lines.length
        ? `; the Protocol keyword is obsolete there and ignored (${lines.map((l) => `${l.path}:${l.line ?? '?'}`).join(', ')})`
        : '';
      return pass(`OpenSSH ${sshd.version} speaks only protocol 2 (${from})${note}`, [
        { ...sshd.versionSource, message: `OpenSSH ${sshd.version}` },
        ...evidence,
      ]);
    }
    if (lines.some((l) => l.args === undefined))
      return unknown(`OpenSSH ${sshd.version} (older than 7.4) with a Protocol line whose value this snapshot does not record`, evidence);
    if (lines.some(enablesProtocol1)) return fail(`OpenSSH ${sshd.version} with protocol 1 enabled`, evidence);
    return pass(`OpenSSH ${sshd.version} (older than 7.4) with no Protocol 1 line; the default is protocol 2`, [
      { ...sshd.versionSource, message: `OpenSSH ${sshd.version}` },
      ...evidence,
    ]);
  },
});
