import { defineCheck } from '../define.js';
import { pass, unknown, type Evidence } from '../verdict.js';
import { FAMILIES, familyLabel, genericPeer, probePorts, problemEvidence, reach } from './_lib.js';

export default defineCheck({
  id: 'fw.default-allow-outgoing',
  remediation: 'The guide sets `ufw default allow outgoing`; a stricter egress policy is fine if it is deliberate.',
  needs: ['firewall'],
  onAbsent: { firewall: (reason) => pass(`No host firewall: outgoing traffic is allowed (${reason})`, { note: reason }) },
  evaluate({ firewall: fw }) {
    if (fw.problems.length) return unknown('The firewall could not be read completely', problemEvidence(fw));
    const { unused } = probePorts(fw.rulesets);
    const blocked: Evidence[] = [];
    const allowed: Evidence[] = [];
    for (const family of FAMILIES)
      for (const [proto, port] of [
        ['tcp', 443],
        ['udp', 53],
        ['tcp', unused],
      ] as const) {
        const r = reach(fw.rulesets, { dir: 'out', family, proto, port, peer: genericPeer(fw.rulesets, family, 'out'), world: 'under' });
        const label = `${familyLabel(family)} outgoing ${port}/${proto}`;
        if (r.state === 'open') allowed.push({ ...r.by[0]!, message: `${label} allowed` });
        else if (r.state === 'closed') blocked.push({ ...r.by[0]!, message: `${label} blocked` });
        else
          return unknown(
            `${label}: depends on a rule Rampart does not understand`,
            r.unknowns.slice(0, 3).map((u) => ({ ...u, message: 'not understood' })),
          );
      }
    if (blocked.length)
      return pass(`Outgoing traffic is restricted (stricter than the guide's allow): ${blocked.map((b) => b.message).join('; ')}`, [
        ...blocked,
        ...allowed.slice(0, 2),
      ]);
    return pass("Outgoing traffic is allowed by default (the guide's setting)", allowed.slice(0, 2));
  },
});
