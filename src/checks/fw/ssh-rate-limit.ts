import { defineCheck } from '../define.js';
import { fail, pass, unknown, warn, type Evidence } from '../verdict.js';
import { describeSource } from '../../facts/evidence.js';
import { FAMILIES, familyLabel, genericPeer, namedPeers, problemEvidence, reach, sshPortsOf } from './_lib.js';

export default defineCheck({
  id: 'fw.ssh-rate-limit',
  remediation:
    'Rate limit new SSH connections: `ufw limit 22/tcp`, or an iptables `-m conntrack --ctstate NEW -m limit --limit 3/min --limit-burst 3 -j ACCEPT` rule followed by a DROP (nft: `ct state new limit rate 3/minute accept`).',
  fix: {
    fixes: ['fw.ssh-rate-limit'],
    risk: 'disruptive',
    steps: [{ kind: 'command', argv: ['ufw', 'limit', '22/tcp'], purpose: 'rate limit new SSH connections (ufw: 6 per 30 s per source)' }],
  },
  needs: ['firewall', 'sshd'],
  onAbsent: { firewall: (reason) => fail(`No host firewall, so nothing rate limits SSH: ${reason}`, { note: reason }) },
  evaluate({ firewall: fw, sshd }) {
    if (fw.problems.length) return unknown('The firewall could not be read completely', problemEvidence(fw));
    const { ports, note } = sshPortsOf(sshd);
    const notes: Evidence[] = note ? [{ ...note, message: note.note! }] : [];
    const limited: Evidence[] = [];
    const unlimited: Evidence[] = [];
    const unsure: Evidence[] = [];
    let reachable = false;
    for (const port of ports)
      for (const family of FAMILIES) {
        for (const peer of [
          genericPeer(fw.rulesets, family, 'in'),
          ...namedPeers(fw.rulesets, family, 'in').map((c) => c.split('/')[0]!),
        ]) {
          const probe = { dir: 'in' as const, family, proto: 'tcp' as const, port, peer };
          const under = reach(fw.rulesets, { ...probe, world: 'under' });
          if (under.state === 'closed') continue;
          reachable = true;
          const over = reach(fw.rulesets, { ...probe, world: 'over' });
          const label = `${familyLabel(family)} ${port}/tcp from ${peer}`;
          if (under.state === 'uncertain' || over.state === 'uncertain')
            unsure.push(
              ...[...under.unknowns, ...over.unknowns]
                .slice(0, 2)
                .map((u) => ({ ...u, message: `${label}: depends on a rule Rampart does not understand` })),
            );
          else if (over.state === 'closed')
            limited.push(
              ...over.limits
                .slice(0, 1)
                .map((l) => ({ ...l, message: `${label}: new connections over the limit are refused (${describeSource(l)})` })),
            );
          else
            unlimited.push({
              ...over.by[0]!,
              message: `${label}: new connections are accepted without a rate limit by ${describeSource(over.by[0]!)}`,
            });
        }
      }
    if (unlimited.length) return fail(`SSH is not rate limited: ${unlimited[0]!.message}`, [...unlimited, ...notes]);
    if (unsure.length) return unknown('Whether SSH is rate limited depends on rules Rampart cannot judge', [...unsure, ...notes]);
    if (!reachable)
      return warn(`The firewall accepts no new connection to SSH port ${ports.join(', ')}: nothing to rate limit (is SSH reachable?)`, [
        ...notes,
        { note: 'every probe to the SSH port was dropped', message: 'SSH port closed' },
      ]);
    return pass(
      `New SSH connections are rate limited (${limited
        .map((l) => describeSource(l))
        .filter((v, i, a) => a.indexOf(v) === i)
        .join(', ')})`,
      [...limited, ...notes],
    );
  },
});
