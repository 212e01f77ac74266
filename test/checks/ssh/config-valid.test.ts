import check from '../../../src/checks/ssh/config-valid.js';
import { sshdFacts, UNREADABLE } from '../../sshd/facts.js';
import { runCases } from '../run-cases.js';

const files = { method: 'files' as const, ok: true, output: null, command: null };
const bad = {
  path: '/etc/ssh/sshd_config',
  line: 4,
  severity: 'error' as const,
  kind: 'keyword' as const,
  keyword: 'foobar',
  message: 'Bad configuration option: FooBar',
};
const dep = {
  path: '/etc/ssh/sshd_config',
  line: 2,
  severity: 'warning' as const,
  kind: 'obsolete' as const,
  keyword: 'useprivilegeseparation',
  message: 'Deprecated option UsePrivilegeSeparation (ignored by sshd)',
};

runCases(
  check,
  {
    pass: [
      { name: 'live sshd -t exits 0', facts: sshdFacts(), summary: /sshd -t exits 0/ },
      {
        name: 'offline: every file parses, a deprecated keyword noted',
        facts: sshdFacts({}, { method: 'files', validation: files, problems: [dep] }),
        summary: /1 file\(s\) parse and every keyword is known to OpenSSH 9\.2p1/,
      },
      {
        name: 'fallback: sshd -t could not judge (no /run/sshd)',
        facts: sshdFacts(
          {},
          {
            method: 'files',
            validation: { ...files, output: '/usr/sbin/sshd -t could not judge: Missing privilege separation directory: /run/sshd' },
          },
        ),
        summary: /could not judge: Missing privilege separation/,
      },
    ],
    fail: [
      {
        name: 'live sshd -t fails',
        facts: sshdFacts(
          {},
          {
            validation: {
              method: 'sshd -t',
              ok: false,
              output: '/etc/ssh/sshd_config line 4: Bad configuration option: FooBar',
              command: '/usr/sbin/sshd -t',
            },
          },
        ),
        summary: /rejects the configuration: .*FooBar/,
      },
      {
        name: 'offline: unknown keyword',
        facts: sshdFacts({}, { method: 'files', validation: { ...files, ok: false }, problems: [bad] }),
        summary: /\/etc\/ssh\/sshd_config:4: Bad configuration option: FooBar/,
      },
    ],
    unknown: [
      {
        name: 'offline: a file could not be read',
        facts: sshdFacts({}, { method: 'files', validation: { ...files, ok: false }, problems: [UNREADABLE] }),
        summary: /permission denied/,
      },
    ],
  },
  { key: 'sshd' },
);
