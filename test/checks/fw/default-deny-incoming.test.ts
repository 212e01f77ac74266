import check from '../../../src/checks/fw/default-deny-incoming.js';
import { fixtureFacts, sshdOn } from '../../firewall/fixture-facts.js';
import { runCases } from '../run-cases.js';

const fw = async (fixture: string) => ({ firewall: await fixtureFacts(fixture) });
runCases(
  check,
  {
    pass: [
      { name: 'ufw-guide.pass', facts: () => fw('ufw-guide.pass') },
      { name: 'nft-default-drop.pass', facts: () => fw('nft-default-drop.pass') },
    ],
    fail: [
      { name: 'ufw-ipv6-allow.fail', facts: () => fw('ufw-ipv6-allow.fail'), summary: /IPv6 tcp/ },
      { name: 'nft-accept-policy.fail', facts: () => fw('nft-accept-policy.fail'), summary: /IPv4 tcp/ },
      { name: 'ufw-inactive.fail', evidence: 'note', facts: () => fw('ufw-inactive.fail') },
      { name: 'no-firewall.fail', evidence: 'note', facts: () => fw('no-firewall.fail') },
    ],
    unknown: [{ name: 'malformed-rules.fail', facts: () => fw('malformed-rules.fail') }],
  },
  { facts: { sshd: sshdOn([22]) }, live: false },
);
