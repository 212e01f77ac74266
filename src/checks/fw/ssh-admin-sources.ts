import { defineCheck } from '../define.js';
import { fail, pass, unknown, warn, type Evidence } from '../verdict.js';
import { describeSource } from '../../facts/evidence.js';
import { cidrWithin } from '../../util/ip.js';
import { FAMILIES, familyLabel, genericPeer, namedPeers, problemEvidence, reach, sshPortsOf } from './_lib.js';

export default defineCheck({
  id: 'fw.ssh-admin-sources',
  remediation:
    'Allow SSH only from the admin networks: `ufw allow from 198.51.100.0/24 to any port 22 proto tcp` and delete the rule that allows it from anywhere.',
  needs: ['firewall', 'sshd'],
  onAbsent: { firewall: (reason) => fail(`No host firewall, so SSH is open to anywhere: ${reason}`, { note: reason }) },
  evaluate({ firewall: fw, sshd }, ctx) {
    if (fw.problems.length) return unknown('The firewall could not be read completely', problemEvidence(fw));
    const { ports, note } = sshPortsOf(sshd);
    const notes: Evidence[] = note ? [{ ...note, message: note.note! }] : [];
    const anywhere: Evidence[] = [];
    const sources: Evidence[] = [];
    const outside: Evidence[] = [];
    for (const port of ports)
      for (const family of FAMILIES) {
        const probe = { dir: 'in' as const, family, proto: 'tcp' as const, port, world: 'under' as const };
        const any = reach(fw.rulesets, { ...probe, peer: genericPeer(fw.rulesets, family, 'in') });
        if (any.state === 'uncertain')
          return unknown(
            `Whether SSH is open to anywhere (${familyLabel(family)}) depends on rules Rampart cannot judge`,
            any.unknowns.slice(0, 3).map((u) => ({ ...u, message: 'not understood' })),
          );
        if (any.state === 'open')
          anywhere.push({
            ...any.by[0]!,
            message: `${familyLabel(family)} ${port}/tcp is open to anywhere (${describeSource(any.by[0]!)})`,
          });
        for (const cidr of namedPeers(fw.rulesets, family, 'in')) {
          const r = reach(fw.rulesets, { ...probe, peer: cidr.split('/')[0]! });
          if (r.state !== 'open') continue;
          const ev = { ...r.by[0]!, message: `${port}/tcp open from ${cidr}` };
          sources.push(ev);
          if (ctx.config.ssh_admin_sources.length && !ctx.config.ssh_admin_sources.some((a) => cidrWithin(a, cidr)))
            outside.push({ ...ev, message: `${port}/tcp open from ${cidr}, which is not in ssh_admin_sources` });
        }
      }
    if (anywhere.length)
      return fail(`SSH is open to anywhere, not restricted to admin sources: ${anywhere[0]!.message}`, [...anywhere, ...notes]);
    if (outside.length)
      return fail(`SSH is open to sources outside ssh_admin_sources (${ctx.config.ssh_admin_sources.join(', ')})`, [...outside, ...notes]);
    if (!sources.length)
      return warn(`SSH port ${ports.join(', ')} is not open to any source`, [
        ...notes,
        { note: 'every probe to the SSH port was dropped', message: 'SSH port closed' },
      ]);
    return pass(`SSH is restricted to ${[...new Set(sources.map((s) => s.message!.split(' from ')[1]))].join(', ')}`, [
      ...sources,
      ...notes,
    ]);
  },
});
