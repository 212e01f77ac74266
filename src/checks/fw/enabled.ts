import { defineCheck } from '../define.js';
import { fail, pass, unknown, type Evidence } from '../verdict.js';
import { FAMILIES, familyLabel, filtersInput, problemEvidence, stagesFor } from './_lib.js';

export default defineCheck({
  id: 'fw.enabled',
  remediation: 'Enable a host firewall: `ufw enable` after allowing SSH, or load an nftables/iptables ruleset at boot that filters INPUT.',
  fix: {
    fixes: ['fw.enabled', 'fw.default-deny-incoming', 'fw.default-allow-outgoing', 'fw.allowed-ports-only', 'fw.ssh-rate-limit'],
    risk: 'disruptive',
    steps: [
      { kind: 'command', argv: ['apt-get', 'install', '-y', 'ufw'], purpose: 'install ufw' },
      { kind: 'command', argv: ['ufw', 'default', 'deny', 'incoming'], purpose: 'deny incoming connections by default' },
      { kind: 'command', argv: ['ufw', 'default', 'allow', 'outgoing'], purpose: 'allow outgoing connections' },
      { kind: 'command', argv: ['ufw', 'limit', '22/tcp'], purpose: 'allow SSH, rate limited (6 new connections per 30 s)' },
      { kind: 'command', argv: ['ufw', 'allow', '80/tcp'], purpose: 'allow HTTP' },
      { kind: 'command', argv: ['ufw', 'allow', '443/tcp'], purpose: 'allow HTTPS' },
      { kind: 'command', argv: ['ufw', '--force', 'enable'], purpose: 'enable the firewall now and at boot' },
    ],
    note: 'Cuts every connection not on 22/80/443: the lockout proof checks that the port sshd listens on stays reachable from the current client.',
  },
  needs: ['firewall'],
  onAbsent: { firewall: (reason) => fail(`No host firewall: ${reason}`, { note: reason }) },
  evaluate({ firewall: fw }) {
    if (fw.problems.length)
      return unknown(`The firewall could not be read completely (${fw.problems.length} problem(s))`, problemEvidence(fw));
    const filtering = FAMILIES.filter((f) => filtersInput(fw.rulesets, f));
    const stages: Evidence[] = FAMILIES.flatMap((f) =>
      stagesFor(fw.rulesets, f, 'in').map(({ rs, chain }) => ({
        ...chain.source,
        message: `${familyLabel(f)} ${rs.backend} ${rs.table} ${chain.name} (policy ${chain.policy ?? 'accept'})`,
      })),
    );
    const ufw: Evidence[] = fw.ufw
      ? [
          fw.ufw.active
            ? { ...fw.ufw.active.source, message: `ufw ${fw.ufw.active.value ? 'active' : 'inactive'}` }
            : { ...fw.ufw.enabled.source, message: `ufw ENABLED=${fw.ufw.enabled.value ? 'yes' : 'no'}` },
        ]
      : [];
    if (filtering.length) {
      const via =
        fw.ufw?.active?.value || fw.rulesets.some((r) => r.backend === 'ufw')
          ? 'ufw is active'
          : `a ruleset filters INPUT (${[...new Set(fw.rulesets.map((r) => r.backend))].join(', ')})`;
      return pass(`${via}; filtering ${filtering.map(familyLabel).join(' and ')}`, [...ufw, ...stages]);
    }
    const why = fw.rulesets.length
      ? 'the loaded rulesets accept everything on the INPUT path'
      : fw.mode === 'live'
        ? 'no ruleset is loaded in the kernel'
        : 'nothing loads a ruleset at boot';
    return fail(
      `No firewall filters incoming traffic: ${why}${fw.ufw ? `; ufw is ${fw.ufw.active?.value ? 'active' : fw.ufw.enabled.value ? 'enabled' : 'inactive'}` : ''}`,
      [...ufw, ...stages, ...fw.notes.map((n) => ({ ...n, message: n.note ?? 'note' }))]
        .slice(0, 20)
        .concat(ufw.length || stages.length ? [] : [{ note: why, message: why }]),
    );
  },
});
