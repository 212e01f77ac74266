import check from '../../../src/checks/fw/enabled.js';
import { fixtureFacts, sshdOn } from '../../firewall/fixture-facts.js';
import { runCases } from '../run-cases.js';

const fw = async (fixture: string) => ({ firewall: await fixtureFacts(fixture) });
runCases(
  check,
  {
    pass: [
      { name: 'ufw-guide.pass', facts: () => fw('ufw-guide.pass'), summary: /ufw is active/ },
      { name: 'nft-default-drop.pass', facts: () => fw('nft-default-drop.pass'), summary: /nftables/ },
      { name: 'iptables-guide-ratelimit.pass', facts: () => fw('iptables-guide-ratelimit.pass'), summary: /iptables-persistent/ },
    ],
    fail: [
      { name: 'ufw-inactive.fail', facts: () => fw('ufw-inactive.fail'), summary: /inactive/ },
      { name: 'nft-accept-policy.fail', facts: () => fw('nft-accept-policy.fail'), summary: /accept everything/ },
      { name: 'no-firewall.fail', evidence: 'note', facts: () => fw('no-firewall.fail'), summary: /No host firewall/ },
    ],
    unknown: [{ name: 'malformed-rules.fail', facts: () => fw('malformed-rules.fail'), summary: /could not be read/ }],
  },
  { facts: { sshd: sshdOn([22]) }, live: false },
);
