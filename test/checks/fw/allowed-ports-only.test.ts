import check from '../../../src/checks/fw/allowed-ports-only.js';
import { fixtureFacts, sshdOn } from '../../firewall/fixture-facts.js';
import { runCases } from '../run-cases.js';

const fw = async (fixture: string) => ({ firewall: await fixtureFacts(fixture) });
runCases(
  check,
  {
    pass: [
      { name: 'ufw-guide.pass', facts: () => fw('ufw-guide.pass') },
      { name: 'nft-default-drop.pass', facts: () => fw('nft-default-drop.pass') },
      { name: 'iptables-guide-ratelimit.pass', facts: () => fw('iptables-guide-ratelimit.pass') },
    ],
    fail: [
      { name: 'ufw-extra-port-open.fail', facts: () => fw('ufw-extra-port-open.fail'), summary: /6379\/tcp/ },
      {
        name: 'ufw-guide.pass',
        facts: () => fw('ufw-guide.pass'),
        summary: /80\/tcp|443\/tcp/,
        config: { allowed_ports: ['22/tcp'] },
      },
      { name: 'nft-accept-policy.fail', facts: () => fw('nft-accept-policy.fail'), summary: /every unlisted tcp port/ },
      { name: 'no-firewall.fail', evidence: 'note', facts: () => fw('no-firewall.fail') },
    ],
    unknown: [{ name: 'malformed-rules.fail', facts: () => fw('malformed-rules.fail') }],
  },
  { facts: { sshd: sshdOn([22]) }, live: false },
);
