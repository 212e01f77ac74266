import type { Source } from './evidence.js';
import { parseCidr, parseIp, rangeContains } from '../util/ip.js';

/**
 * The firewall as netfilter sees it: every ruleset that holds chains on the input/output hooks,
 * normalised from iptables-save (nft and legacy backends), `nft -j list ruleset`, /etc/nftables.conf,
 * /etc/iptables/rules.v4|v6 and ufw's files. The checks simulate packets through it (evaluate/packet-sim.ts).
 */

export type FwFamily = 'ipv4' | 'ipv6';
export type FwHook = 'input' | 'output' | 'forward' | 'prerouting' | 'postrouting';
export interface PortRange {
  from: number;
  to: number;
}

/** One condition of a rule; anything not understood is `unknown` and makes a verdict that depends on it uncertain. */
export type FwMatch =
  | { kind: 'proto'; protos: string[]; negate: boolean }
  | { kind: 'dport'; ports: PortRange[]; negate: boolean }
  | { kind: 'sport'; ports: PortRange[]; negate: boolean }
  | { kind: 'saddr'; cidrs: string[]; negate: boolean }
  | { kind: 'daddr'; cidrs: string[]; negate: boolean }
  | { kind: 'iif'; names: string[]; negate: boolean }
  | { kind: 'oif'; names: string[]; negate: boolean }
  | { kind: 'ctstate'; states: string[]; negate: boolean }
  | { kind: 'addrtype'; which: 'src' | 'dst'; types: string[]; negate: boolean }
  | { kind: 'family'; family: FwFamily }
  /** limit/hashlimit/recent/connlimit/nft limit and meters: whether it matches under or over the limit. */
  | { kind: 'ratelimit'; matchesWhen: 'under' | 'over' | 'always'; text: string }
  | { kind: 'unknown'; text: string };

export type FwAction =
  | { kind: 'accept' | 'drop' | 'reject' | 'return' | 'continue' }
  | { kind: 'jump' | 'goto'; chain: string }
  | { kind: 'unknown'; text: string };

export interface FwRule {
  matches: FwMatch[];
  action: FwAction;
  text: string;
  source: Source;
}

export interface FwChain {
  name: string;
  /** Base chains only: the hook and priority; null for a user chain. */
  hook: FwHook | null;
  priority: number;
  /** Base chains: what happens at the end of the chain. */
  policy: 'accept' | 'drop' | null;
  rules: FwRule[];
  source: Source;
}

export type FwBackend = 'iptables-nft' | 'iptables-legacy' | 'nftables' | 'iptables-persistent' | 'ufw';

export interface FwRuleset {
  backend: FwBackend;
  /** ipv4/ipv6, or inet (nft: both). */
  family: FwFamily | 'inet';
  table: string;
  chains: FwChain[];
  /** Where the ruleset was read: a command or a file. */
  source: Source;
}

export interface UfwTuple {
  action: string;
  proto: string;
  dport: string;
  dst: string;
  sport: string;
  src: string;
  direction: string;
  family: FwFamily;
  source: Source;
}

export interface UfwFacts {
  /** ENABLED= in /etc/ufw/ufw.conf (boot setting). */
  enabled: { value: boolean; source: Source };
  /** Live: whether ufw's chains are in the kernel (`ufw status` or ufw-user-input in iptables-save); offline null. */
  active: { value: boolean; source: Source } | null;
  defaultInput: { value: string; source: Source } | null;
  defaultOutput: { value: string; source: Source } | null;
  ipv6: { value: boolean; source: Source } | null;
  tuples: UfwTuple[];
}

export interface DockerPublish {
  proto: string;
  port: PortRange;
  /** The host address the port is published on, null for all. */
  hostAddress: string | null;
  to: string;
  source: Source;
}

export interface FirewallFacts {
  mode: 'live' | 'offline';
  ufw: UfwFacts | null;
  /** The rulesets in force (live) or loaded at boot (offline). */
  rulesets: FwRuleset[];
  /** Ports Docker publishes (DNAT in the DOCKER chain of the nat table); null when not seen. */
  docker: { published: DockerPublish[]; dockerUserRules: number; source: Source } | null;
  /** What was looked at and what was skipped (a service not enabled at boot, a tool not installed). */
  notes: Source[];
  /** What could not be read or parsed: a verdict that depends on it is unknown. */
  problems: { message: string; source: Source }[];
}

// ---------------------------------------------------------------------------- addresses

export function addressFamily(addr: string): FwFamily | null {
  const a = parseIp(addr.split('/')[0] ?? '');
  return a === null ? null : a.family === 4 ? 'ipv4' : 'ipv6';
}

/** Whether `addr` lies in `cidr`; null when either is not an address of the same family. */
export function cidrContains(cidr: string, addr: string): boolean | null {
  const range = parseCidr(cidr);
  const a = parseIp(addr);
  if (!range || !a || a.family !== range.family) return null;
  return rangeContains(range, a);
}

/** The first address of a CIDR (for probing "from inside this range"). */
export function cidrFirst(cidr: string): string {
  return cidr.split('/')[0] ?? cidr;
}

export function isAnyAddress(cidr: string): boolean {
  return /^(0\.0\.0\.0\/0|::\/0|any|0\.0\.0\.0|::)$/.test(cidr);
}
