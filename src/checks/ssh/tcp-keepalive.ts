import { defineCheck } from '../define.js';
import { fail, pass, unknown, warn } from '../verdict.js';
import { judgeSshd, sshdOutcome } from '../../facts/sshd.js';

const VERDICT = { pass, fail, warn, unknown };

export default defineCheck({
  id: 'ssh.tcp-keepalive',
  remediation: 'Set "TCPKeepAlive yes" (the default) and remove any "TCPKeepAlive no".',
  needs: ['sshd'],
  evaluate({ sshd }) {
    const o = sshdOutcome(sshd, [judgeSshd(sshd, 'tcpkeepalive', 'TCPKeepAlive', (v) => v === 'yes')]);
    return VERDICT[o.status](o.summary, o.evidence);
  },
});
