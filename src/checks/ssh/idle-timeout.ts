import { defineCheck } from '../define.js';
import { fail, pass, unknown, warn } from '../verdict.js';
import { judgeSshd, sshdOutcome } from '../../facts/sshd.js';

const VERDICT = { pass, fail, warn, unknown };
/** Guide 3.2: ClientAliveInterval 1..300 seconds, ClientAliveCountMax 1..3. */
const MAX_INTERVAL = 300;
const MAX_COUNT = 3;
const inRange = (max: number) => (v: string) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= max;

export default defineCheck({
  id: 'ssh.idle-timeout',
  remediation: `Set "ClientAliveInterval ${MAX_INTERVAL}" (or less) and "ClientAliveCountMax ${MAX_COUNT}" (or less, at least 1) so idle sessions end.`,
  needs: ['sshd'],
  evaluate({ sshd }) {
    const interval = judgeSshd(sshd, 'clientaliveinterval', 'ClientAliveInterval', inRange(MAX_INTERVAL));
    const count = judgeSshd(sshd, 'clientalivecountmax', 'ClientAliveCountMax', inRange(MAX_COUNT));
    const timeout = Number(sshd.effective.clientaliveinterval?.value) * Number(sshd.effective.clientalivecountmax?.value);
    const note = timeout < MAX_INTERVAL * MAX_COUNT ? ` (stricter than required: idle sessions end after ${timeout} s)` : '';
    const o = sshdOutcome(sshd, [interval, count], note);
    return VERDICT[o.status](o.summary, o.evidence);
  },
});
