import { defineCheck } from '../define.js';
import { judgeSshd, sshdVerdict } from './_lib.js';

export default defineCheck({
  id: 'ssh.password-auth-disabled',
  remediation:
    'Set "PasswordAuthentication no" and "KbdInteractiveAuthentication no" in a drop-in that sorts first (e.g. /etc/ssh/sshd_config.d/00-rampart.conf); remove cloud-init\'s "PasswordAuthentication yes" and any Match block that re-enables it.',
  fix: {
    fixes: ['ssh.password-auth-disabled'],
    risk: 'disruptive',
    steps: [
      { kind: 'set-directive', service: 'sshd', directive: 'PasswordAuthentication', value: 'no' },
      { kind: 'set-directive', service: 'sshd', directive: 'KbdInteractiveAuthentication', value: 'no' },
    ],
    note: 'Password and keyboard-interactive logins stop: the lockout proof refuses unless an allowed admin has a usable authorized key.',
  },
  needs: ['sshd'],
  evaluate({ sshd }) {
    return sshdVerdict(sshd, [
      judgeSshd(sshd, 'passwordauthentication', 'PasswordAuthentication', (v) => v === 'no'),
      // ChallengeResponseAuthentication is an alias of KbdInteractiveAuthentication since OpenSSH 8.7.
      judgeSshd(sshd, 'kbdinteractiveauthentication', 'KbdInteractiveAuthentication', (v) => v === 'no'),
    ]);
  },
});
