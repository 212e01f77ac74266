import { defineCheck } from '../define.js';
import { judgeSshd, sshdVerdict } from './_lib.js';

export default defineCheck({
  id: 'ssh.pubkey-auth-enabled',
  remediation: 'Set "PubkeyAuthentication yes" (the default) and remove any line or Match block that turns it off.',
  fix: {
    fixes: ['ssh.pubkey-auth-enabled'],
    risk: 'safe',
    steps: [{ kind: 'set-directive', service: 'sshd', directive: 'PubkeyAuthentication', value: 'yes' }],
  },
  needs: ['sshd'],
  evaluate({ sshd }) {
    return sshdVerdict(sshd, [judgeSshd(sshd, 'pubkeyauthentication', 'PubkeyAuthentication', (v) => v === 'yes')]);
  },
});
