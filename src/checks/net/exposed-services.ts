import { defineCheck } from '../define.js';
import { fail, pass, unknown, type Evidence } from '../verdict.js';
import { describeSource } from '../../facts/evidence.js';
import { familyLabel, genericPeer, portAllowed, problemEvidence, reach } from '../fw/_lib.js';

export default defineCheck({
  id: 'net.exposed-services',
  remediation:
    'Bind internal services to 127.0.0.1 (or a private address) or drop their ports in the firewall; publish Docker ports on 127.0.0.1 (`-p 127.0.0.1:6379:6379`) because published ports bypass ufw.',
  needs: ['listeners', 'firewall'],
  onAbsent: { firewall: (reason) => fail(`No host firewall: every listening socket is exposed (${reason})`, { note: reason }) },
  evaluate({ listeners, firewall: fw }, ctx) {
    if (!ctx.live || fw.mode !== 'live') return unknown('offline: listening sockets need a live host');
    if (fw.problems.length) return unknown('The firewall could not be read completely', problemEvidence(fw));
    const allowed = ctx.config.allowed_ports;
    const exposed: Evidence[] = [];
    const names: string[] = [];
    const unsure: Evidence[] = [];
    let judged = 0;
    for (const l of listeners.listeners) {
      if (l.loopback || portAllowed(allowed, l.proto, l.port)) continue;
      judged++;
      const who = l.processes.length ? l.processes.map((p) => `${p.name} (pid ${p.pid})`).join(', ') : 'unknown process';
      for (const family of l.families) {
        const r = reach(fw.rulesets, {
          dir: 'in',
          family,
          proto: l.proto,
          port: l.port,
          peer: genericPeer(fw.rulesets, family, 'in'),
          world: 'under',
        });
        const where = `${who} listens on ${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}/${l.proto}`;
        if (r.state === 'open') {
          names.push(where);
          exposed.push({
            ...l.source,
            message: `${where} and the firewall accepts it (${familyLabel(family)}: ${describeSource(r.by[0]!)})`,
          });
          break;
        }
        if (r.state === 'uncertain')
          unsure.push({ ...l.source, message: `${where}: whether the firewall drops it depends on a rule Rampart does not understand` });
      }
    }
    for (const d of fw.docker?.published ?? []) {
      if (d.hostAddress && /^(127\.|::1$)/.test(d.hostAddress)) continue;
      if (portAllowed(allowed, d.proto, d.port.from) && portAllowed(allowed, d.proto, d.port.to)) continue;
      const port = d.port.from === d.port.to ? `${d.port.from}` : `${d.port.from}-${d.port.to}`;
      const du =
        fw.docker && fw.docker.dockerUserRules > 0
          ? `; DOCKER-USER has ${fw.docker.dockerUserRules} rule(s) Rampart does not evaluate`
          : '';
      names.push(`Docker ${port}/${d.proto} → ${d.to}`);
      exposed.push({
        ...d.source,
        message: `Docker publishes ${port}/${d.proto} to ${d.to} on ${d.hostAddress ?? 'all addresses'}: DNAT bypasses the INPUT chain (ufw)${du}`,
      });
    }
    if (exposed.length)
      return fail(`${exposed.length} service(s) reachable from the network outside the allow-list: ${names.join('; ')}`, exposed);
    if (unsure.length) return unknown('Some listening sockets depend on firewall rules Rampart cannot judge', unsure);
    return pass(
      `Every non-loopback listener (${judged} outside the allow-list) is dropped by the firewall`,
      listeners.listeners.slice(0, 5).map((l) => ({ ...l.source, message: `${l.address}:${l.port}/${l.proto}` })),
    );
  },
});
