import { defineCheck } from '../define.js';
import { fail, pass, unknown, type Evidence } from '../verdict.js';
import { describeSource } from '../../facts/evidence.js';
import { FAMILIES, familyLabel, genericPeer, namedPeers, portAllowed, probePorts, problemEvidence, reach } from './_lib.js';

export default defineCheck({
  id: 'fw.allowed-ports-only',
  remediation:
    'Delete the allow rules for ports that are not on the allow-list (`ufw status numbered`, `ufw delete N`), or add the port to allowed_ports if it is meant to be open.',
  needs: ['firewall'],
  onAbsent: { firewall: (reason) => fail(`No host firewall, so every port is open: ${reason}`, { note: reason }) },
  evaluate({ firewall: fw }, ctx) {
    if (fw.problems.length) return unknown('The firewall could not be read completely', problemEvidence(fw));
    const allowed = ctx.config.allowed_ports;
    const { mentioned, unused } = probePorts(fw.rulesets);
    const extra = new Map<string, Evidence>();
    const unsure: Evidence[] = [];
    for (const family of FAMILIES) {
      const peers = [genericPeer(fw.rulesets, family, 'in'), ...namedPeers(fw.rulesets, family, 'in').map((c) => c.split('/')[0]!)];
      for (const proto of ['tcp', 'udp'] as const)
        for (const port of [...mentioned.filter((p) => p > 0), unused]) {
          if (port !== unused && portAllowed(allowed, proto, port)) continue;
          for (const peer of peers) {
            const r = reach(fw.rulesets, { dir: 'in', family, proto, port, peer, world: 'under' });
            const what = port === unused ? `every unlisted ${proto} port (e.g. ${unused})` : `${port}/${proto}`;
            if (r.state === 'open') {
              const by = r.by[0]!;
              const key = `${what} ${describeSource(by)}`;
              if (!extra.has(key))
                extra.set(key, {
                  ...by,
                  message: `${what} is open (${familyLabel(family)}, from ${peer === peers[0] ? 'anywhere' : peer}) by ${describeSource(by)}`,
                });
              break;
            }
            if (r.state === 'uncertain')
              unsure.push(
                ...r.unknowns
                  .slice(0, 1)
                  .map((u) => ({ ...u, message: `${what} (${familyLabel(family)}): depends on a rule Rampart does not understand` })),
              );
          }
        }
    }
    const found = [...extra.values()];
    if (found.length)
      return fail(
        `Ports outside the allow-list (${allowed.join(', ')}) are open: ${[...new Set(found.map((f) => f.message!.split(' is open')[0]))].join(', ')}`,
        found,
      );
    if (unsure.length) return unknown('Some ports depend on rules Rampart cannot judge', unsure.slice(0, 10));
    return pass(
      `Only allow-listed ports are open (${allowed.join(', ')})`,
      fw.rulesets.length ? [{ ...fw.rulesets[0]!.source, message: `${fw.rulesets.length} ruleset(s) examined` }] : [],
    );
  },
});
