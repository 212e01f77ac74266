import { defineCheck } from '../define.js';
import { judgeSshd, sshdVerdict } from './_lib.js';

/** Guide 3.2 (strict): MaxAuthTries <= 4, LoginGraceTime <= 60 s (0 means no limit: sshd_config(5)). */
const MAX_AUTH_TRIES = 4;
const MAX_GRACE_SECONDS = 60;
const upTo = (max: number) => (v: string) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= max;

export default defineCheck({
  id: 'ssh.auth-limits',
  remediation: `Set "MaxAuthTries ${MAX_AUTH_TRIES}", "PermitEmptyPasswords no" and "LoginGraceTime ${MAX_GRACE_SECONDS}" (LoginGraceTime 0 means no limit).`,
  fix: {
    fixes: ['ssh.auth-limits'],
    risk: 'safe',
    steps: [
      { kind: 'set-directive', service: 'sshd', directive: 'MaxAuthTries', value: String(MAX_AUTH_TRIES) },
      { kind: 'set-directive', service: 'sshd', directive: 'PermitEmptyPasswords', value: 'no' },
      { kind: 'set-directive', service: 'sshd', directive: 'LoginGraceTime', value: String(MAX_GRACE_SECONDS) },
    ],
  },
  needs: ['sshd'],
  evaluate({ sshd }) {
    return sshdVerdict(sshd, [
      judgeSshd(sshd, 'maxauthtries', 'MaxAuthTries', upTo(MAX_AUTH_TRIES)),
      judgeSshd(sshd, 'permitemptypasswords', 'PermitEmptyPasswords', (v) => v === 'no'),
      judgeSshd(sshd, 'logingracetime', 'LoginGraceTime', upTo(MAX_GRACE_SECONDS)),
    ]);
  },
});
