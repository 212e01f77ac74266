import { defineCheck } from '../define.js';
import { fail, pass, unknown, warn } from '../verdict.js';
import { judgeSshd, sshdOutcome } from '../../facts/sshd.js';

const VERDICT = { pass, fail, warn, unknown };

export default defineCheck({
  id: 'ssh.x11-forwarding-disabled',
  remediation: 'Set "X11Forwarding no" (Debian\'s sshd_config ships "X11Forwarding yes": change that line) and reload sshd.',
  fix: {
    fixes: ['ssh.x11-forwarding-disabled'],
    risk: 'safe',
    steps: [{ kind: 'set-directive', service: 'sshd', directive: 'X11Forwarding', value: 'no' }],
  },
  needs: ['sshd'],
  evaluate({ sshd }) {
    const o = sshdOutcome(sshd, [judgeSshd(sshd, 'x11forwarding', 'X11Forwarding', (v) => v === 'no')]);
    return VERDICT[o.status](o.summary, o.evidence);
  },
});
