import { defineCheck } from '../define.js';
import { judgeSshd, sshdVerdict } from './_lib.js';

/** Guide 3.2: ClientAliveInterval 1..300 seconds, ClientAliveCountMax 1..3. */
const MAX_INTERVAL = 300;
const MAX_COUNT = 3;
const inRange = (max: number) => (v: string) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= max;

export default defineCheck({
  id: 'ssh.idle-timeout',
  remediation: `Set "ClientAliveInterval ${MAX_INTERVAL}" (or less) and "ClientAliveCountMax ${MAX_COUNT}" (or less, at least 1) so idle sessions end.`,
  fix: {
    fixes: ['ssh.idle-timeout'],
    risk: 'safe',
    steps: [
      { kind: 'set-directive', service: 'sshd', directive: 'ClientAliveInterval', value: String(MAX_INTERVAL) },
      { kind: 'set-directive', service: 'sshd', directive: 'ClientAliveCountMax', value: String(MAX_COUNT) },
    ],
    note: 'Idle sessions are closed after the interval.',
  },
  needs: ['sshd'],
  evaluate({ sshd }) {
    const interval = judgeSshd(sshd, 'clientaliveinterval', 'ClientAliveInterval', inRange(MAX_INTERVAL));
    const count = judgeSshd(sshd, 'clientalivecountmax', 'ClientAliveCountMax', inRange(MAX_COUNT));
    const timeout = Number(sshd.effective.clientaliveinterval?.value) * Number(sshd.effective.clientalivecountmax?.value);
    const note = timeout < MAX_INTERVAL * MAX_COUNT ? ` (stricter than required: idle sessions end after ${timeout} s)` : '';
    return sshdVerdict(sshd, [interval, count], note);
  },
});
