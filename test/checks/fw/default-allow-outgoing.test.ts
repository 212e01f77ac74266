import check from '../../../src/checks/fw/default-allow-outgoing.js';
import { fixtureFacts, sshdOn } from '../../firewall/fixture-facts.js';
import { runCases } from '../run-cases.js';

const fw = async (fixture: string) => ({ firewall: await fixtureFacts(fixture) });
runCases(
  check,
  {
    pass: [
      { name: 'ufw-guide.pass', facts: () => fw('ufw-guide.pass'), summary: /allowed by default/ },
      { name: 'nft-default-drop.pass', facts: () => fw('nft-default-drop.pass'), summary: /allowed by default/ },
      { name: 'egress-restricted.pass', facts: () => fw('egress-restricted.pass'), summary: /stricter/ },
      { name: 'no-firewall.fail', evidence: 'note', facts: () => fw('no-firewall.fail') },
    ],
    unknown: [{ name: 'malformed-rules.fail', facts: () => fw('malformed-rules.fail') }],
  },
  { facts: { sshd: sshdOn([22]) }, live: false },
);
