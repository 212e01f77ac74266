import { defineCheck } from '../define.js';
import { fail, pass, unknown, type Evidence } from '../verdict.js';
import { FAMILIES, familyLabel, genericPeer, probePorts, problemEvidence, reach } from './_lib.js';

export default defineCheck({
  id: 'fw.default-deny-incoming',
  remediation:
    'Set the default incoming policy to deny for IPv4 and IPv6: `ufw default deny incoming` (and IPV6=yes in /etc/default/ufw), or `policy drop` on the input chain.',
  fix: {
    fixes: ['fw.default-deny-incoming'],
    risk: 'disruptive',
    steps: [
      { kind: 'command', argv: ['ufw', 'limit', '22/tcp'], purpose: 'keep SSH reachable, rate limited' },
      { kind: 'command', argv: ['ufw', 'default', 'deny', 'incoming'], purpose: 'deny incoming connections by default' },
    ],
  },
  needs: ['firewall'],
  onAbsent: { firewall: (reason) => fail(`No host firewall, so nothing denies incoming traffic: ${reason}`, { note: reason }) },
  evaluate({ firewall: fw }) {
    if (fw.problems.length) return unknown('The firewall could not be read completely', problemEvidence(fw));
    const { unused } = probePorts(fw.rulesets);
    const open: Evidence[] = [];
    const closed: Evidence[] = [];
    const unsure: Evidence[] = [];
    for (const family of FAMILIES)
      for (const proto of ['tcp', 'udp'] as const) {
        const r = reach(fw.rulesets, {
          dir: 'in',
          family,
          proto,
          port: unused,
          peer: genericPeer(fw.rulesets, family, 'in'),
          world: 'under',
        });
        const label = `${familyLabel(family)} ${proto}: a new connection to an unlisted port (${unused})`;
        if (r.state === 'open') open.push(...r.by.slice(0, 1).map((b) => ({ ...b, message: `${label} is accepted` })));
        else if (r.state === 'closed') closed.push(...r.by.slice(0, 1).map((b) => ({ ...b, message: `${label} is dropped` })));
        else
          unsure.push(...r.unknowns.slice(0, 3).map((b) => ({ ...b, message: `${label}: depends on a rule Rampart does not understand` })));
      }
    if (open.length) return fail(`Incoming traffic is not denied by default: ${open.map((o) => o.message).join('; ')}`, open);
    if (unsure.length) return unknown('Whether unlisted incoming traffic is dropped depends on rules Rampart cannot judge', unsure);
    return pass('Incoming traffic to unlisted ports is dropped for IPv4 and IPv6', closed);
  },
});
