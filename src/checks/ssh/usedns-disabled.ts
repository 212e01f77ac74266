import { defineCheck } from '../define.js';
import { fail, pass, unknown, warn } from '../verdict.js';
import { judgeSshd, sshdOutcome } from '../../facts/sshd.js';

const VERDICT = { pass, fail, warn, unknown };

export default defineCheck({
  id: 'ssh.usedns-disabled',
  remediation: 'Set "UseDNS no" (the default since OpenSSH 6.8) and remove any "UseDNS yes".',
  needs: ['sshd'],
  evaluate({ sshd }) {
    const o = sshdOutcome(sshd, [judgeSshd(sshd, 'usedns', 'UseDNS', (v) => v === 'no')]);
    return VERDICT[o.status](o.summary, o.evidence);
  },
});
