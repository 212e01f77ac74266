import type { Source } from '../facts/evidence.js';
import {
  addressFamily,
  cidrContains,
  cidrFirst,
  isAnyAddress,
  type FwChain,
  type FwFamily,
  type FwHook,
  type FwMatch,
  type FwRule,
  type FwRuleset,
  type PortRange,
} from '../facts/firewall.js';

/**
 * The packet simulator: probe packets through the collected (or candidate) rulesets. A packet passes
 * only if every base chain on its hook accepts it. Used by the fw.* checks and net.exposed-services
 * (through src/checks/fw/_lib.ts) and by the fix's lockout proof (a candidate ruleset).
 */

const NON_UNICAST = ['224.0.0.0/4', '255.255.255.255/32', 'ff00::/8', '127.0.0.0/8', '::1/128'];
const isNonUnicast = (cidr: string): boolean => NON_UNICAST.some((n) => cidrContains(n, cidrFirst(cidr)) === true);

export interface Probe {
  dir: 'in' | 'out';
  family: FwFamily;
  proto: 'tcp' | 'udp';
  port: number;
  /** The remote address: the source of an incoming packet, the destination of an outgoing one. */
  peer: string;
  /** Whether rate limits are exceeded (`over`) or not. */
  world: 'under' | 'over';
}

export interface Outcome {
  verdict: 'accept' | 'drop';
  /** The rule or chain policy that decided. */
  decidedBy: Source & { excerpt?: string };
  /** Matches assumed on this path that Rampart does not understand. */
  unknowns: Source[];
  /** Rate-limit matches the packet went through on this path. */
  limits: Source[];
}

type Tri = 'yes' | 'no' | 'vary' | 'unknown';
/** The source port of a simulated incoming packet. */
export const EPHEMERAL_SPORT = 50123;
const MAX_PATHS = 256;

export function inPorts(ports: PortRange[], p: number): boolean {
  return ports.some((r) => p >= r.from && p <= r.to);
}
const neg = (t: boolean, negate: boolean): Tri => (t !== negate ? 'yes' : 'no');

function evalMatch(m: FwMatch, p: Probe): Tri {
  switch (m.kind) {
    case 'proto':
      return neg(m.protos.includes(p.proto) || m.protos.includes('all'), m.negate);
    case 'dport':
      return neg(inPorts(m.ports, p.port), m.negate);
    case 'sport':
      return neg(inPorts(m.ports, EPHEMERAL_SPORT), m.negate);
    case 'family':
      return m.family === p.family ? 'yes' : 'no';
    case 'saddr':
    case 'daddr': {
      const remote = (m.kind === 'saddr') === (p.dir === 'in');
      if (m.cidrs.some((c) => isAnyAddress(c) && addressFamily(cidrFirst(c)) !== (p.family === 'ipv4' ? 'ipv6' : 'ipv4')))
        return neg(true, m.negate);
      // nft: `ip saddr` never matches an IPv6 packet, negated or not.
      if (m.cidrs.every((c) => addressFamily(cidrFirst(c)) !== p.family)) return 'no';
      if (remote) {
        const hits = m.cidrs.map((c) => cidrContains(c, p.peer));
        return neg(
          hits.some((h) => h === true),
          m.negate,
        );
      }
      // The local address: a unicast address of this host, not multicast, broadcast or loopback.
      if (m.cidrs.every((c) => isNonUnicast(c))) return m.negate ? 'yes' : 'no';
      return 'vary';
    }
    case 'iif':
    case 'oif': {
      if ((m.kind === 'iif') !== (p.dir === 'in')) return 'unknown';
      const onlyLo = m.names.every((n) => n === 'lo');
      if (onlyLo) return m.negate ? 'yes' : 'no';
      return 'vary';
    }
    case 'ctstate':
      return neg(m.states.map((s) => s.toLowerCase()).includes('new'), m.negate);
    case 'addrtype': {
      const t = m.types.map((x) => x.toUpperCase());
      const isLocal = (m.which === 'dst') === (p.dir === 'in');
      return neg(t.includes('UNICAST') || (isLocal && t.includes('LOCAL')), m.negate);
    }
    case 'ratelimit':
      if (m.matchesWhen === 'always') return 'yes';
      return m.matchesWhen === p.world ? 'yes' : 'no';
    case 'unknown':
      return 'unknown';
  }
}

interface PathState {
  unknowns: Source[];
  limits: Source[];
}
type ChainEnd =
  | { end: 'accept' | 'drop'; by: Outcome['decidedBy']; st: PathState }
  | { end: 'fallthrough'; st: PathState }
  | { end: 'error'; by: Outcome['decidedBy']; st: PathState };

function runChain(rs: FwRuleset, name: string, p: Probe, st: PathState, depth: number, budget: { n: number }): ChainEnd[] {
  const chain = rs.chains.find((c) => c.name === name);
  if (!chain)
    return [
      {
        end: 'error',
        by: { ...rs.source, note: `jump to missing chain ${name}` },
        st: { ...st, unknowns: [...st.unknowns, { ...rs.source, note: `missing chain ${name}` }] },
      },
    ];
  if (depth > 32)
    return [
      {
        end: 'error',
        by: chain.source,
        st: { ...st, unknowns: [...st.unknowns, { ...chain.source, note: 'jumps nest deeper than 32 (a loop?)' }] },
      },
    ];
  return runRules(rs, chain, 0, p, st, depth, budget);
}

function runRules(rs: FwRuleset, chain: FwChain, from: number, p: Probe, st: PathState, depth: number, budget: { n: number }): ChainEnd[] {
  for (let i = from; i < chain.rules.length; i++) {
    const rule = chain.rules[i]!;
    let branch: 'no' | 'yes' | 'both' = 'yes';
    let uncertain: Source | null = null;
    const limits: Source[] = [];
    for (const m of rule.matches) {
      const t = evalMatch(m, p);
      if (m.kind === 'ratelimit') limits.push({ ...rule.source, excerpt: rule.text });
      if (t === 'no') {
        branch = 'no';
        break;
      }
      if (t === 'vary' || t === 'unknown') {
        branch = 'both';
        if (t === 'unknown') uncertain = { ...rule.source, excerpt: rule.text };
      }
    }
    const st2: PathState = { unknowns: st.unknowns, limits: limits.length ? [...st.limits, ...limits] : st.limits };
    if (branch === 'no') {
      if (limits.length) st = st2;
      continue;
    }
    const matched = applyAction(rs, chain, i, rule, p, uncertain ? { ...st2, unknowns: [...st2.unknowns, uncertain] } : st2, depth, budget);
    if (branch === 'yes') return matched;
    budget.n++;
    if (budget.n > MAX_PATHS) return [...matched, { end: 'error', by: { ...rule.source, note: 'too many paths to follow' }, st: st2 }];
    return [
      ...matched,
      ...runRules(rs, chain, i + 1, p, uncertain ? { ...st2, unknowns: [...st2.unknowns, uncertain] } : st2, depth, budget),
    ];
  }
  return [{ end: 'fallthrough', st }];
}

function applyAction(
  rs: FwRuleset,
  chain: FwChain,
  i: number,
  rule: FwRule,
  p: Probe,
  st: PathState,
  depth: number,
  budget: { n: number },
): ChainEnd[] {
  const by = { ...rule.source, excerpt: rule.text };
  const a = rule.action;
  switch (a.kind) {
    case 'accept':
      return [{ end: 'accept', by, st }];
    case 'drop':
    case 'reject':
      return [{ end: 'drop', by, st }];
    case 'return':
      return [{ end: 'fallthrough', st }];
    case 'continue':
      return runRules(rs, chain, i + 1, p, st, depth, budget);
    case 'unknown':
      return [
        {
          end: 'error',
          by,
          st: { ...st, unknowns: [...st.unknowns, { ...rule.source, excerpt: rule.text, note: `target ${a.text} not understood` }] },
        },
      ];
    case 'jump':
    case 'goto': {
      const sub = runChain(rs, a.chain, p, st, depth + 1, budget);
      if (a.kind === 'goto') return sub;
      return sub.flatMap((r) => (r.end === 'fallthrough' ? runRules(rs, chain, i + 1, p, r.st, depth, budget) : [r]));
    }
  }
}

function hookOf(dir: Probe['dir']): FwHook {
  return dir === 'in' ? 'input' : 'output';
}

/** The base chains a probe traverses, in priority order. */
export function stagesFor(rulesets: readonly FwRuleset[], family: FwFamily, dir: Probe['dir']): { rs: FwRuleset; chain: FwChain }[] {
  const out: { rs: FwRuleset; chain: FwChain }[] = [];
  for (const rs of rulesets) {
    if (rs.family !== family && rs.family !== 'inet') continue;
    for (const c of rs.chains) if (c.hook === hookOf(dir)) out.push({ rs, chain: c });
  }
  return out.sort((a, b) => a.chain.priority - b.chain.priority);
}

/** Every way the probe can end: accepted only if every base chain on its hook accepts it. */
export function simulate(rulesets: readonly FwRuleset[], p: Probe): Outcome[] {
  const stages = stagesFor(rulesets, p.family, p.dir);
  let paths: Outcome[] = [
    {
      verdict: 'accept',
      decidedBy: { note: `no base chain on the ${hookOf(p.dir)} hook for ${p.family}: the kernel accepts` },
      unknowns: [],
      limits: [],
    },
  ];
  for (const { rs, chain } of stages) {
    const ends = runChain(rs, chain.name, p, { unknowns: [], limits: [] }, 0, { n: 0 });
    const next: Outcome[] = [];
    for (const prev of paths) {
      if (prev.verdict === 'drop') {
        next.push(prev);
        continue;
      }
      for (const e of ends) {
        const unknowns = [...prev.unknowns, ...e.st.unknowns];
        const limits = [...prev.limits, ...e.st.limits];
        if (e.end === 'fallthrough') {
          const verdict = chain.policy === 'drop' ? 'drop' : 'accept';
          next.push({
            verdict,
            decidedBy: { ...chain.source, excerpt: `${rs.table} ${chain.name} policy ${chain.policy ?? 'accept'}` },
            unknowns,
            limits,
          });
        } else if (e.end === 'error') {
          next.push({ verdict: 'accept', decidedBy: e.by, unknowns: unknowns.length ? unknowns : [e.by], limits });
          next.push({ verdict: 'drop', decidedBy: e.by, unknowns: unknowns.length ? unknowns : [e.by], limits });
        } else {
          // A stage's accept lets the packet on to the next base chain; the decision is the last accept.
          next.push({ verdict: e.end, decidedBy: e.by, unknowns, limits });
        }
      }
    }
    paths = dedupe(next).slice(0, MAX_PATHS);
  }
  return paths;
}

function dedupe(o: Outcome[]): Outcome[] {
  const seen = new Set<string>();
  return o.filter((x) => {
    const k = JSON.stringify(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export type Reach = { state: 'open' | 'closed' | 'uncertain'; by: Outcome['decidedBy'][]; unknowns: Source[]; limits: Source[] };

/** open: some path accepts without assumptions; closed: every path drops; otherwise uncertain. */
export function reach(rulesets: readonly FwRuleset[], p: Probe): Reach {
  const outs = simulate(rulesets, p);
  const sure = outs.filter((o) => o.verdict === 'accept' && o.unknowns.length === 0);
  const accepts = outs.filter((o) => o.verdict === 'accept');
  const unknowns = outs.flatMap((o) => o.unknowns);
  const limits = outs.flatMap((o) => o.limits);
  if (sure.length) return { state: 'open', by: sure.map((o) => o.decidedBy), unknowns, limits };
  if (!accepts.length) return { state: 'closed', by: outs.map((o) => o.decidedBy), unknowns, limits };
  return { state: 'uncertain', by: accepts.map((o) => o.decidedBy), unknowns, limits };
}

/** All source ranges named by rules on the hook, for probing "from an admin network". */
export function namedPeers(rulesets: readonly FwRuleset[], family: FwFamily, dir: Probe['dir']): string[] {
  const field = dir === 'in' ? 'saddr' : 'daddr';
  const out = new Set<string>();
  for (const rs of rulesets) {
    if (rs.family !== family && rs.family !== 'inet') continue;
    for (const c of rs.chains)
      for (const r of c.rules)
        for (const m of r.matches)
          if (m.kind === field)
            for (const cidr of m.cidrs) if (!isAnyAddress(cidr) && addressFamily(cidrFirst(cidr)) === family) out.add(cidr);
  }
  return [...out].sort();
}

const GENERIC_PEERS: Record<FwFamily, string[]> = {
  ipv4: ['203.0.113.77', '192.0.2.55', '198.51.100.201', '100.64.7.9', '45.33.32.156'],
  ipv6: ['2001:db8:ffff::77', '2001:db8:1234::5', '2a00:1450::1'],
};

/** An address no rule names: "anywhere". */
export function genericPeer(rulesets: readonly FwRuleset[], family: FwFamily, dir: Probe['dir']): string {
  const named = namedPeers(rulesets, family, dir);
  return GENERIC_PEERS[family].find((a) => named.every((c) => cidrContains(c, a) !== true)) ?? GENERIC_PEERS[family][0]!;
}
