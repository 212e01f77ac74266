import { defineCheck } from '../define.js';
import { judgeSshd, sshdVerdict } from './_lib.js';

export default defineCheck({
  id: 'ssh.root-login-disabled',
  remediation:
    'Set "PermitRootLogin no" in /etc/ssh/sshd_config.d/00-rampart.conf (the first value wins) and in no Match block allow it again; reload sshd.',
  needs: ['sshd'],
  evaluate({ sshd }) {
    return sshdVerdict(sshd, [judgeSshd(sshd, 'permitrootlogin', 'PermitRootLogin', (v) => v === 'no')]);
  },
});
