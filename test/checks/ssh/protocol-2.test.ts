import check from '../../../src/checks/ssh/protocol-2.js';
import { sshdFacts } from '../../sshd/facts.js';
import { runCases } from '../run-cases.js';

const line = (msg: string) => ({
  path: '/etc/ssh/sshd_config.d/10-legacy.conf',
  line: 1,
  severity: 'warning' as const,
  kind: 'obsolete' as const,
  keyword: 'protocol',
  message: msg,
});

runCases(
  check,
  {
    pass: [
      { name: 'OpenSSH 9.2 without Protocol line', facts: sshdFacts(), summary: /^OpenSSH 9\.2p1 speaks only protocol 2/ },
      {
        name: 'OpenSSH 9.2 with an obsolete Protocol 2 line (a note)',
        facts: sshdFacts({}, { problems: [line('Protocol 2: obsolete since OpenSSH 7.4')] }),
        summary: /obsolete there and ignored \(\/etc\/ssh\/sshd_config\.d\/10-legacy\.conf:1\)/,
      },
      {
        name: 'OpenSSH 7.2 without a Protocol line',
        facts: sshdFacts({}, { version: '7.2p2' }),
        summary: /default is protocol 2/,
      },
    ],
    fail: [
      {
        name: 'OpenSSH 6.6 with Protocol 2,1',
        facts: sshdFacts({}, { version: '6.6p1', problems: [line('Protocol 2,1: obsolete since OpenSSH 7.4')] }),
        summary: /protocol 1 enabled/,
      },
    ],
    unknown: [{ name: 'version unknown', facts: sshdFacts({}, { version: null }), summary: /version could not be determined/ }],
  },
  { key: 'sshd' },
);
