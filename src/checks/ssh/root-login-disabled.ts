import { defineCheck } from '../define.js';
import { judgeSshd, sshdVerdict } from './_lib.js';

export default defineCheck({
  id: 'ssh.root-login-disabled',
  remediation:
    'Set "PermitRootLogin no" in /etc/ssh/sshd_config.d/00-rampart.conf (the first value wins) and in no Match block allow it again; reload sshd.',
  fix: {
    fixes: ['ssh.root-login-disabled'],
    risk: 'disruptive',
    steps: [{ kind: 'set-directive', service: 'sshd', directive: 'PermitRootLogin', value: 'no' }],
    note: 'Root can no longer log in over SSH: an admin account with a working key must exist first (the lockout proof checks it).',
  },
  needs: ['sshd'],
  evaluate({ sshd }) {
    return sshdVerdict(sshd, [judgeSshd(sshd, 'permitrootlogin', 'PermitRootLogin', (v) => v === 'no')]);
  },
});
