import check from '../../../src/checks/fw/ssh-admin-sources.js';
import { fixtureFacts, sshdOn } from '../../firewall/fixture-facts.js';
import { runCases } from '../run-cases.js';

const fw = async (fixture: string) => ({ firewall: await fixtureFacts(fixture) });
runCases(
  check,
  {
    pass: [
      { name: 'ufw-ssh-admin-source.pass', facts: () => fw('ufw-ssh-admin-source.pass'), summary: /198.51.100.0\/24/ },
      { name: 'nft-default-drop.pass', facts: () => fw('nft-default-drop.pass'), summary: /198.51.100.0\/24/ },
      { name: 'ufw-ssh-admin-source.pass', facts: () => fw('ufw-ssh-admin-source.pass'), config: { ssh_admin_sources: ['198.51.0.0/16'] } },
    ],
    fail: [
      { name: 'ufw-guide.pass', facts: () => fw('ufw-guide.pass'), summary: /open to anywhere/ },
      {
        name: 'ufw-ssh-admin-source.pass',
        facts: () => fw('ufw-ssh-admin-source.pass'),
        summary: /outside ssh_admin_sources/,
        config: { ssh_admin_sources: ['192.0.2.0/24'] },
      },
      {
        name: 'ufw-ssh-admin-source.pass',
        facts: () => fw('ufw-ssh-admin-source.pass'),
        summary: /outside ssh_admin_sources/,
        config: { ssh_admin_sources: ['198.51.100.0/25'] },
      },
      { name: 'no-firewall.fail', evidence: 'note', facts: () => fw('no-firewall.fail') },
    ],
    unknown: [{ name: 'malformed-rules.fail', facts: () => fw('malformed-rules.fail') }],
  },
  { facts: { sshd: sshdOn([22]) }, live: false },
);
