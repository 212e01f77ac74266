import check from '../../../src/checks/ssh/root-login-disabled.js';
import { matchContext, sshdFacts, UNREADABLE } from '../../sshd/facts.js';
import { runCases } from '../run-cases.js';

runCases(
  check,
  {
    pass: [
      {
        name: 'PermitRootLogin no',
        facts: sshdFacts({ permitrootlogin: 'no' }),
        summary: /"no" \(\/etc\/ssh\/sshd_config\.d\/10-test\.conf:1\)/,
      },
    ],
    fail: [
      {
        name: 'default without-password',
        evidence: 'note',
        facts: sshdFacts(),
        summary: /PermitRootLogin is "without-password" \(OpenSSH 9\.2p1 built-in default/,
      },
      { name: 'yes', facts: sshdFacts({ permitrootlogin: 'yes' }), summary: /"yes"/ },
      {
        name: 'a Match block allows root for one context',
        facts: sshdFacts({ permitrootlogin: 'no' }, { contexts: [matchContext('permitrootlogin', 'yes', 'user=root addr=198.51.100.1')] }),
        summary: /"yes" for user=root addr=198\.51\.100\.1 \(\/etc\/ssh\/sshd_config:120\)/,
      },
      {
        name: 'file fallback is said',
        facts: sshdFacts(
          { permitrootlogin: 'yes' },
          { method: 'files', methodReason: 'sshd -T exited 255: Missing privilege separation directory: /run/sshd' },
        ),
        summary: /Missing privilege separation/,
      },
    ],
    unknown: [
      {
        name: 'a drop-in could not be read',
        facts: sshdFacts({ permitrootlogin: 'no' }, { method: 'files', methodReason: 'offline root', problems: [UNREADABLE] }),
        summary: /permission denied/,
      },
    ],
  },
  { key: 'sshd' },
);
