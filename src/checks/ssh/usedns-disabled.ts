import { defineCheck } from '../define.js';
import { judgeSshd, sshdVerdict } from './_lib.js';

export default defineCheck({
  id: 'ssh.usedns-disabled',
  remediation: 'Set "UseDNS no" (the default since OpenSSH 6.8) and remove any "UseDNS yes".',
  fix: {
    fixes: ['ssh.usedns-disabled'],
    risk: 'safe',
    steps: [{ kind: 'set-directive', service: 'sshd', directive: 'UseDNS', value: 'no' }],
  },
  needs: ['sshd'],
  evaluate({ sshd }) {
    return sshdVerdict(sshd, [judgeSshd(sshd, 'usedns', 'UseDNS', (v) => v === 'no')]);
  },
});
