import { OPENSSH_9_2_DEFAULTS } from '../../src/collect/parse/sshd-defaults.js';
import type { SshdContext, SshdFacts, SshdSetting } from '../../src/facts/sshd.js';

const DEFAULT_NOTE = { note: OPENSSH_9_2_DEFAULTS.note };

/** Facts for check tests: 9.2 defaults, then `set` (keyword → value, with a file:line source). */
export function sshdFacts(set: Record<string, string> = {}, over: Partial<SshdFacts> = {}): SshdFacts {
  const effective: Record<string, SshdSetting> = {};
  for (const [k, v] of Object.entries(OPENSSH_9_2_DEFAULTS.values)) effective[k] = { value: v, source: DEFAULT_NOTE };
  let line = 1;
  for (const [k, v] of Object.entries(set))
    effective[k] = { value: v, source: { path: '/etc/ssh/sshd_config.d/10-test.conf', line: line++, excerpt: `${k} ${v}` } };
  return {
    installed: true,
    ports: [22],
    version: '9.2p1',
    versionSource: { path: '/var/lib/dpkg/status' },
    method: 'sshd -T',
    methodReason: null,
    defaultsExact: true,
    effective,
    contexts: [],
    files: ['/etc/ssh/sshd_config'],
    problems: [],
    validation: { method: 'sshd -t', ok: true, output: null, command: '/usr/sbin/sshd -t' },
    hostKeys: [],
    ...over,
  };
}

/** A Match context overriding `keyword` with `value` set at sshd_config:120. */
export function matchContext(keyword: string, value: string, label = 'user=rampart-nobody addr=203.0.113.7'): SshdContext {
  return {
    label,
    user: 'rampart-nobody',
    addr: '203.0.113.7',
    role: 'other',
    adminSource: false,
    overrides: {
      [keyword]: {
        value,
        source: { path: '/etc/ssh/sshd_config', line: 120, note: 'in "Match Address 203.0.113.0/24" (/etc/ssh/sshd_config:119)' },
      },
    },
  };
}

export const HARDENED: Record<string, string> = {
  permitrootlogin: 'no',
  passwordauthentication: 'no',
  kbdinteractiveauthentication: 'no',
  x11forwarding: 'no',
  clientaliveinterval: '300',
  clientalivecountmax: '2',
  maxauthtries: '3',
  logingracetime: '30',
};

export const UNREADABLE = {
  path: '/etc/ssh/sshd_config.d/50-x.conf',
  line: null,
  severity: 'error' as const,
  kind: 'unreadable' as const,
  keyword: null,
  message: '"/etc/ssh/sshd_config.d/50-x.conf" permission denied',
};
