import type { Source } from '../../facts/evidence.js';
import { type FirewallFacts, type FwFamily, type FwRuleset, type PortRange } from '../../facts/firewall.js';
import { EPHEMERAL_SPORT, inPorts, stagesFor } from '../../evaluate/packet-sim.js';

/** Shared judgement of the fw.* checks (and net.exposed-services) over the packet simulator (src/evaluate/packet-sim.ts). */
export { genericPeer, namedPeers, reach, simulate, stagesFor, type Outcome, type Probe, type Reach } from '../../evaluate/packet-sim.js';

/** Port boundaries the rules mention for `proto`, plus one port that no rule mentions. */
export function probePorts(rulesets: readonly FwRuleset[]): { mentioned: number[]; unused: number } {
  const ranges: PortRange[] = [];
  for (const rs of rulesets)
    for (const c of rs.chains)
      for (const r of c.rules) for (const m of r.matches) if (m.kind === 'dport' || m.kind === 'sport') ranges.push(...m.ports);
  const mentioned = [...new Set(ranges.flatMap((r) => [r.from, r.to]))].sort((a, b) => a - b);
  let unused = 47391;
  while (unused < 65535 && (inPorts(ranges, unused) || unused === EPHEMERAL_SPORT)) unused++;
  return { mentioned, unused };
}

/** Whether any base chain on the input hook can drop something: the ruleset filters. */
export function filtersInput(rulesets: readonly FwRuleset[], family: FwFamily): boolean {
  return stagesFor(rulesets, family, 'in').some(({ rs, chain }) => chain.policy === 'drop' || reachableDrop(rs, chain.name, new Set()));
}

function reachableDrop(rs: FwRuleset, name: string, seen: Set<string>): boolean {
  if (seen.has(name)) return false;
  seen.add(name);
  const c = rs.chains.find((x) => x.name === name);
  if (!c) return false;
  return c.rules.some(
    (r) =>
      r.action.kind === 'drop' ||
      r.action.kind === 'reject' ||
      ((r.action.kind === 'jump' || r.action.kind === 'goto') && reachableDrop(rs, r.action.chain, seen)),
  );
}

export function parsePortSpec(spec: string): { proto: 'tcp' | 'udp'; range: PortRange } | null {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?\/(tcp|udp)$/.exec(spec);
  if (!m) return null;
  const from = Number(m[1]);
  return { proto: m[3] as 'tcp' | 'udp', range: { from, to: m[2] ? Number(m[2]) : from } };
}

export function portAllowed(allowed: readonly string[], proto: string, port: number): boolean {
  return allowed.some((s) => {
    const p = parsePortSpec(s);
    return p !== null && p.proto === proto && port >= p.range.from && port <= p.range.to;
  });
}

// ---------------------------------------------------------------------------- helpers for checks

export const DEFAULT_SSH_PORT = 22;

/** The SSH ports to judge: sshd's effective ports, else 22 (said so in the note). */
export function sshPortsOf(sshd: { installed: boolean; ports: number[] } | undefined): { ports: number[]; note: Source | null } {
  if (sshd?.installed && sshd.ports.length) return { ports: sshd.ports, note: null };
  return {
    ports: [DEFAULT_SSH_PORT],
    note: { note: `sshd ports unknown (${sshd ? 'sshd not installed or no Port' : 'no sshd facts'}): assuming ${DEFAULT_SSH_PORT}/tcp` },
  };
}

/** Problems that make a firewall verdict uncertain. */
export function problemEvidence(fw: FirewallFacts): (Source & { message: string })[] {
  return fw.problems.map((p) => ({ ...p.source, message: p.message }));
}

export const FAMILIES: readonly FwFamily[] = ['ipv4', 'ipv6'];
export const familyLabel = (f: FwFamily): string => (f === 'ipv4' ? 'IPv4' : 'IPv6');
