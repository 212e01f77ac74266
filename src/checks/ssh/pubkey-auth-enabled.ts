import { defineCheck } from '../define.js';
import { fail, pass, unknown, warn } from '../verdict.js';
import { judgeSshd, sshdOutcome } from '../../facts/sshd.js';

const VERDICT = { pass, fail, warn, unknown };

export default defineCheck({
  id: 'ssh.pubkey-auth-enabled',
  remediation: 'Set "PubkeyAuthentication yes" (the default) and remove any line or Match block that turns it off.',
  needs: ['sshd'],
  evaluate({ sshd }) {
    const o = sshdOutcome(sshd, [judgeSshd(sshd, 'pubkeyauthentication', 'PubkeyAuthentication', (v) => v === 'yes')]);
    return VERDICT[o.status](o.summary, o.evidence);
  },
});
