import { defineCheck } from '../define.js';
import { judgeSshd, sshdVerdict } from './_lib.js';

export default defineCheck({
  id: 'ssh.tcp-keepalive',
  remediation: 'Set "TCPKeepAlive yes" (the default) and remove any "TCPKeepAlive no".',
  fix: {
    fixes: ['ssh.tcp-keepalive'],
    risk: 'safe',
    steps: [{ kind: 'set-directive', service: 'sshd', directive: 'TCPKeepAlive', value: 'yes' }],
  },
  needs: ['sshd'],
  evaluate({ sshd }) {
    return sshdVerdict(sshd, [judgeSshd(sshd, 'tcpkeepalive', 'TCPKeepAlive', (v) => v === 'yes')]);
  },
});
