import { defineCheck } from '../define.js';
import { judgeSshd, sshdVerdict } from './_lib.js';

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
    return sshdVerdict(sshd, [judgeSshd(sshd, 'x11forwarding', 'X11Forwarding', (v) => v === 'no')]);
  },
});
