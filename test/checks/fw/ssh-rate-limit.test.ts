import check from '../../../src/checks/fw/ssh-rate-limit.js';
import { fixtureFacts, sshdOn } from '../../firewall/fixture-facts.js';
import { runCases } from '../run-cases.js';

const fw = async (fixture: string) => ({ firewall: await fixtureFacts(fixture) });
runCases(
  check,
  {
    pass: [
      { name: 'ufw-guide.pass', facts: () => fw('ufw-guide.pass'), summary: /user.rules:21/ },
      { name: 'iptables-guide-ratelimit.pass', facts: () => fw('iptables-guide-ratelimit.pass'), summary: /rules.v4:8/ },
      { name: 'nft-default-drop.pass', facts: () => fw('nft-default-drop.pass'), summary: /nftables.conf:13/ },
    ],
    fail: [
      { name: 'iptables-no-ratelimit.fail', facts: () => fw('iptables-no-ratelimit.fail'), summary: /without a rate limit/ },
      { name: 'ufw-inactive.fail', evidence: 'note', facts: () => fw('ufw-inactive.fail') },
      { name: 'no-firewall.fail', evidence: 'note', facts: () => fw('no-firewall.fail') },
    ],
    unknown: [{ name: 'malformed-rules.fail', facts: () => fw('malformed-rules.fail') }],
  },
  { facts: { sshd: sshdOn([22]) }, live: false },
);
