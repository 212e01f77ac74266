import { familyWidth, formatIp, parseCidr, parseIp } from '../../util/ip.js';
import { firstHostOf, inCidr, matchAddressList, matchPatternList, type MatchCriterion } from './sshd-config.js';
import { blockChain, matchingBlocks, type GroupLookup, type MatchInput, type SshdModel } from './sshd-model.js';

/**
 * The connections whose effective sshd configuration is judged. A guide setting fails when any
 * connection sshd would accept gets a weaker value, so besides the people the guide names (admins,
 * root, every account with a login shell, someone in no list; from inside and outside the admin
 * sources, on every listening port when a block looks at the port) each Match block gets a witness:
 * a connection built to satisfy its criteria (and those of the block it was Included from).
 * A witness nobody can be (an account that does not exist, a port sshd does not listen on, a group
 * without members) is kept but marked `dormant`: its weaker values are a warning, not a failure.
 */
export interface ContextSpec {
  /** The connection; user and addr are always set. */
  input: MatchInput & { user: string; addr: string };
  label: string;
  role: 'admin' | 'root' | 'other' | 'account' | 'match';
  adminSource: boolean;
  /** The Match block this connection was built for, if any. */
  witness: number | null;
  /** Why no real connection can be this one (the block matches nobody today); null if one can. */
  dormant: string | null;
  /** No `sshd -T -C` spec can express it (Match Group without members): judged from the files with this block forced. */
  forced: boolean;
}

export interface ContextPlanInput {
  model: SshdModel;
  lookup: GroupLookup;
  admins: readonly string[];
  /** Accounts with a login shell (root included or not). */
  loginUsers: readonly string[];
  adminSources: readonly string[];
  /** Ports sshd listens on. */
  ports: readonly number[];
  /** Effective ListenAddress values (host:port, [v6]:port), empty for the wildcard. */
  listenAddresses: readonly string[];
  /** Effective UseDNS: without it, sshd matches Host against the client address. */
  useDns: boolean;
  /** Whether sshd accepts IPv6 connections (AddressFamily is not inet); default yes. */
  inet6?: boolean;
}

/** A documentation address (RFC 5737 TEST-NET-3): outside every admin range. */
export const OUTSIDE_ADDR = '203.0.113.7';
/** A user in no list: judges what Match blocks give everybody else. */
export const OTHER_USER = 'rampart-nobody';
/** The IPv6 documentation prefix (RFC 3849): sshd listens on :: by default. */
export const OUTSIDE_ADDR6 = '2001:db8::7';
const NEUTRAL_LADDR = '0.0.0.0';
/** Match blocks beyond this many get no witness (a config with hundreds of blocks): the caller says so. */
export const MAX_WITNESS_BLOCKS = 256;

/** The Match attributes any block uses. */
function usedAttributes(model: SshdModel): Set<MatchCriterion['attribute']> {
  return new Set(model.blocks.flatMap((b) => b.criteria.map((c) => c.attribute)));
}

/** The pattern lists of one attribute over a block and the blocks it was Included from. */
function criteriaLists(model: SshdModel, block: number): (a: MatchCriterion['attribute']) => string[] {
  const crit = blockChain(model, block).flatMap((b) => model.blocks[b]!.criteria);
  return (a) => crit.filter((c) => c.attribute === a).map((c) => c.patterns);
}

function labelOf(m: MatchInput, showHost: boolean): string {
  return [
    `user=${m.user ?? ''}`,
    ...(showHost && m.host !== m.addr ? [`host=${m.host ?? ''}`] : []),
    `addr=${m.addr ?? ''}`,
    ...(m.laddr !== null && m.laddr !== NEUTRAL_LADDR ? [`laddr=${m.laddr}`] : []),
    ...(m.lport !== null ? [`lport=${m.lport}`] : []),
    ...(m.rdomain !== null ? [`rdomain=${m.rdomain}`] : []),
  ].join(' ');
}

/** Strings a pattern list could match: its positive literals, and wildcards filled in. */
function instantiate(pattern: string, fills: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of pattern.split(',')) {
    if (raw.startsWith('!') || raw === '') continue;
    if (!/[*?]/.test(raw)) out.push(raw);
    else for (const f of fills) out.push(raw.replace(/\*/g, f).replace(/\?/g, f.slice(0, 1) || 'x'));
  }
  return out;
}

function hasPositiveWildcard(list: string): boolean {
  return list.split(',').some((p) => !p.startsWith('!') && /[*?]/.test(p));
}

/** Addresses inside each positive entry of an address list (CIDR: first and last host; wildcard filled). */
function addressCandidates(list: string): string[] {
  const out: string[] = [];
  for (const raw of list.split(',')) {
    if (raw.startsWith('!') || raw === '') continue;
    if (raw.includes('/')) {
      const first = firstHostOf(raw);
      if (first) out.push(first);
      const r = parseCidr(raw);
      if (r) {
        const width = familyWidth(r.family);
        const hostBits = BigInt(width - r.prefix);
        const last = ((r.bits >> hostBits) << hostBits) | ((1n << hostBits) - 1n);
        out.push(formatIp({ family: r.family, bits: hostBits > 1n ? last - 1n : last }));
      }
    } else if (/[*?]/.test(raw)) {
      for (const f of ['1', '1.1', '1.1.1', '0.0.1', '7', '']) {
        const c = raw.replace(/\*/g, f).replace(/\?/g, '1');
        if (parseIp(c)) out.push(c);
      }
      if (raw.includes(':')) out.push(OUTSIDE_ADDR6);
    } else if (parseIp(raw)) out.push(raw);
  }
  return out;
}

const allMatch = (value: string, lists: readonly string[], ci = false) => lists.every((l) => matchPatternList(value, l, ci) === 1);
const allAddr = (value: string, lists: readonly string[]) => lists.every((l) => matchAddressList(value, l) === 1);

function listenHosts(listen: readonly string[]): string[] {
  return listen.map((l) => /^\[(.*)\]:\d+$/.exec(l)?.[1] ?? /^([^:]*):\d+$/.exec(l)?.[1] ?? l);
}

interface Witness {
  input: MatchInput & { user: string; addr: string };
  dormant: string | null;
  forced: boolean;
}

/** A connection that satisfies every criterion of the block and of the blocks it was Included from. */
export function witnessFor(
  blockIndex: number,
  p: ContextPlanInput,
  base: { addr: string; user?: string; laddr?: string; lport?: number },
  used = usedAttributes(p.model),
): Witness | null {
  const lists = criteriaLists(p.model, blockIndex);
  const users = lists('user');
  const groups = lists('group');
  const addrs = lists('address');
  const hosts = lists('host');
  const laddrs = lists('localaddress');
  const lports = lists('localport');
  const rdomains = lists('rdomain');
  const dormant: string[] = [];
  let forced = false;

  // User (and Group): an existing account if one fits, else a name the patterns give.
  const groupsOf = (u: string) => {
    const rec = p.lookup.users.find((x) => x.name === u);
    return rec ? p.lookup.groups.filter((g) => g.gid === rec.gid || g.members.includes(u)).map((g) => g.name) : null;
  };
  const inGroups = (u: string) =>
    groups.every((l) => {
      const gs = groupsOf(u);
      if (!gs) return false;
      const r = gs.map((g) => matchPatternList(g, l));
      return !r.includes(-1) && r.includes(1);
    });
  const existing = [...p.loginUsers, ...p.lookup.users.map((u) => u.name)];
  // No account list (passwd unread or absent): nobody can be said not to exist.
  const known = p.lookup.users.length > 0;
  let user = [...(base.user !== undefined ? [base.user] : []), ...existing].find((u) => allMatch(u, users) && inGroups(u)) ?? null;
  if (user === null && groups.length > 0) {
    // No account is in the group: nobody matches; the block's own values are still judged.
    user = users.length ? (users.flatMap((l) => instantiate(l, ['x'])).find((u) => allMatch(u, users)) ?? OTHER_USER) : OTHER_USER;
    if (known) dormant.push(`no account is in group ${groups.join(' and ')}`);
    forced = true;
  }
  if (user === null) {
    const named = users.flatMap((l) => instantiate(l, [OTHER_USER, 'x', ''])).find((u) => u !== '' && allMatch(u, users));
    if (named === undefined) return null; // only negations: matches no user at all
    user = named;
    if (known && !users.some(hasPositiveWildcard)) dormant.push(`no account ${user} exists`);
  } else if (!forced && known && !existing.includes(user) && users.length && !users.some(hasPositiveWildcard)) {
    // A name the caller tried (a pattern's own name): nobody can log in as it today.
    dormant.push(`no account ${user} exists`);
  }

  // Address and Host: without UseDNS the host is the address, so both lists constrain it.
  const addrLists = p.useDns ? addrs : [...addrs, ...hosts];
  let addr: string | null = base.addr;
  if (!(allAddr(addr, addrs) && (p.useDns || allMatch(addr, hosts, true)))) {
    const cands = [
      ...addrs.flatMap(addressCandidates),
      ...(p.useDns ? [] : hosts.flatMap(addressCandidates)),
      OUTSIDE_ADDR,
      '127.0.0.1',
      '::1',
    ];
    addr = cands.find((a) => allAddr(a, addrs) && (p.useDns || allMatch(a, hosts, true))) ?? null;
    if (addr === null) {
      if (addrLists.every((l) => instantiate(l, ['1']).length === 0)) return null;
      addr = addrs.flatMap(addressCandidates)[0] ?? base.addr;
      if (!p.useDns && hosts.length)
        dormant.push('UseDNS is no, so sshd matches Host against the client address, which no address here satisfies');
      forced = true;
    }
  }
  let host = addr;
  if (p.useDns && hosts.length) {
    host =
      hosts.flatMap((l) => instantiate(l, ['client', 'x'])).find((h) => allMatch(h, hosts, true)) ??
      (allMatch(addr, hosts, true) ? addr : '');
    if (host === '') return null;
  }

  // Local address and port: what this host listens on.
  let laddr: string | null = used.has('localaddress') || used.has('localport') ? (base.laddr ?? NEUTRAL_LADDR) : null;
  if (laddrs.length) {
    const specific = listenHosts(p.listenAddresses).filter((h) => parseIp(h) && !/^(0\.0\.0\.0|::)$/.test(h));
    const cands = [...(base.laddr !== undefined ? [base.laddr] : []), ...specific, ...laddrs.flatMap(addressCandidates), '127.0.0.1'];
    laddr = cands.find((a) => allAddr(a, laddrs)) ?? null;
    if (laddr === null) {
      if (laddrs.every((l) => instantiate(l, ['1']).length === 0)) return null;
      laddr = laddrs.flatMap(addressCandidates)[0] ?? '127.0.0.1';
      forced = true;
    }
    if (specific.length && !specific.includes(laddr)) dormant.push(`sshd listens only on ${specific.join(', ')}`);
  }
  let lport: number | null = laddr !== null ? (base.lport ?? p.ports[0] ?? 22) : null;
  if (lports.length) {
    const want = [...new Set(lports.map(Number))];
    if (want.length > 1 || !Number.isInteger(want[0])) return null;
    lport = want[0]!;
    if (!p.ports.includes(lport)) dormant.push(`sshd does not listen on port ${lport}`);
  }
  let rdomain: string | null = used.has('rdomain') ? '' : null;
  if (rdomains.length) {
    rdomain = rdomains.flatMap((l) => instantiate(l, ['vrf', 'x'])).find((r) => allMatch(r, rdomains)) ?? null;
    if (rdomain === null) return null;
  }
  if (rdomain === '') rdomain = null;
  return { input: { user, host, addr, laddr, lport, rdomain }, dormant: dormant.length ? dormant.join('; ') : null, forced };
}

/** Every connection to judge, deduplicated, in a stable order: people first, then witnesses (one per distinct set of matching blocks). */
export function planContexts(p: ContextPlanInput): ContextSpec[] {
  const admins = new Set(p.admins);
  admins.delete('root');
  const first = p.adminSources[0];
  const inside = (first && firstHostOf(first)) ?? '127.0.0.1';
  const isAdminSource = (a: string) => p.adminSources.some((c) => inCidr(a, c) === true);
  const people: [string, ContextSpec['role']][] = [
    ...[...admins].sort().map((u): [string, ContextSpec['role']] => [u, 'admin']),
    ['root', 'root'],
    ...[...new Set(p.loginUsers)]
      .filter((u) => u !== 'root' && !admins.has(u))
      .sort()
      .map((u): [string, ContextSpec['role']] => [u, 'account']),
    [OTHER_USER, 'other'],
  ];
  const used = usedAttributes(p.model);
  const local = used.has('localaddress') || used.has('localport');
  const ports: (number | null)[] = local ? (p.ports.length ? [...p.ports] : [22]) : [null];
  const out: ContextSpec[] = [];
  const seen = new Set<string>();
  const add = (s: ContextSpec) => {
    const key = JSON.stringify([s.input, s.forced ? s.witness : null]);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(s);
  };
  for (const [user, role] of people) {
    for (const addr of [inside, OUTSIDE_ADDR, ...(p.inet6 === false ? [] : [OUTSIDE_ADDR6])]) {
      for (const lport of ports) {
        const input: MatchInput = { user, host: addr, addr, laddr: local ? NEUTRAL_LADDR : null, lport, rdomain: null };
        add({
          input: { ...input, user, addr },
          label: labelOf(input, p.useDns),
          role,
          adminSource: isAdminSource(addr),
          witness: null,
          dormant: null,
          forced: false,
        });
      }
    }
  }
  // One connection per distinct set of matching blocks: the effective configuration depends on
  // nothing else. Each block is tried with every candidate of its lists (every entry of an address
  // list, every listen address, every account), so a block behind an earlier block that catches its
  // first candidate is still reached by another (10.0.0.0/8 first, then 10.0.0.0/8,192.168.0.0/16).
  const signature = (s: ContextSpec) =>
    matchingBlocks(p.model, s.input, p.lookup, s.forced ? s.witness : null)
      .flatMap((x, i) => (x ? [i] : []))
      .join(',');
  const bySig = new Map<string, number>();
  for (const [k, s] of out.entries()) {
    const sig = signature(s);
    if (!bySig.has(sig)) bySig.set(sig, k);
  }
  // Candidates of every block's lists: an earlier block that catches (or misses) a connection depends
  // on values this block does not name — Match LocalAddress 10.0.0.0/8 behind Match LocalPort 22 User root
  // gives root and everyone else different values, so a block is tried with several people, local
  // addresses and ports, not only with what its own lists name.
  const judgedBlocks = p.model.blocks.slice(0, MAX_WITNESS_BLOCKS);
  const everyList = (a: MatchCriterion['attribute']) => [...new Set(judgedBlocks.flatMap((_, j) => criteriaLists(p.model, j)(a)))];
  // Past 64 blocks (hostile or generated configs) a block is tried only with its own lists' candidates
  // (no other blocks' values, no extra people, local addresses or ports), so the plan stays as cheap as it
  // was before these cross-block tries (1000 blocks offline: ~2-3 s).
  const wide = judgedBlocks.length <= 64;
  const crossList = (a: MatchCriterion['attribute']) => (wide ? everyList(a) : []);
  const anyAddr = crossList('address').flatMap(addressCandidates);
  const anyHostAddr = p.useDns ? [] : crossList('host').flatMap(addressCandidates);
  const anyLaddr = crossList('localaddress').flatMap(addressCandidates);
  const anyUser = crossList('user').flatMap((l) => instantiate(l, [OTHER_USER, 'x']));
  const budget = Math.min(512, Math.max(64, Math.floor(16_384 / Math.max(1, judgedBlocks.length))));
  for (const [i] of judgedBlocks.entries()) {
    const lists = criteriaLists(p.model, i);
    const addrPool = [
      ...new Set([
        ...lists('address').flatMap(addressCandidates),
        ...(p.useDns ? [] : lists('host').flatMap(addressCandidates)),
        OUTSIDE_ADDR,
        ...(p.inet6 === false ? [] : [OUTSIDE_ADDR6]),
        ...anyAddr,
        ...anyHostAddr,
      ]),
    ].slice(0, 8);
    const laddrPool = (wide ? used.has('localaddress') : lists('localaddress').length > 0)
      ? [
          ...new Set([
            ...lists('localaddress').flatMap(addressCandidates),
            ...listenHosts(p.listenAddresses),
            NEUTRAL_LADDR,
            '127.0.0.1',
            ...anyLaddr,
          ]),
        ].slice(0, 6)
      : [undefined];
    const userPool = (wide ? used.has('user') || used.has('group') : lists('user').length > 0 || lists('group').length > 0)
      ? [
          ...new Set([
            ...lists('user').flatMap((l) => instantiate(l, [OTHER_USER, 'x'])),
            'root',
            OTHER_USER,
            ...p.loginUsers,
            ...anyUser,
            ...p.lookup.users.map((u) => u.name),
          ]),
        ].slice(0, 8)
      : [undefined];
    const lportPool = wide && used.has('localport') && p.ports.length > 1 ? [...p.ports].slice(0, 4) : [undefined];
    // Only candidates the block's own lists accept are worth a try (witnessFor falls back for the rest).
    const fits = <T>(pool: T[], ok: (x: T) => boolean, none: T[]) => (pool.filter(ok).length ? pool.filter(ok) : none);
    const addrs = fits(addrPool, (a) => allAddr(a, lists('address')) && (p.useDns || allMatch(a, lists('host'), true)), [OUTSIDE_ADDR]);
    const laddrs = fits(laddrPool, (a) => a === undefined || allAddr(a, lists('localaddress')), [undefined]);
    const users = fits(userPool, (u) => u === undefined || allMatch(u, lists('user')), [undefined]);
    const lports = fits(lportPool, (n) => n === undefined || allMatch(String(n), lists('localport')), [undefined]);
    const all = addrs.flatMap((addr) =>
      laddrs.flatMap((laddr) =>
        users.flatMap((user) =>
          lports.map((lport) => ({
            addr,
            ...(laddr !== undefined ? { laddr } : {}),
            ...(user !== undefined ? { user } : {}),
            ...(lport !== undefined ? { lport } : {}),
          })),
        ),
      ),
    );
    // Over the budget: a stride through the product, so every dimension still varies.
    const tries = all.length <= budget ? all : Array.from({ length: budget }, (_, k) => all[Math.floor((k * all.length) / budget)]!);
    for (const base of tries) {
      const w = witnessFor(i, p, base, used);
      if (!w) continue;
      const spec: ContextSpec = {
        input: w.input,
        label: labelOf(w.input, p.useDns),
        role: 'match',
        adminSource: isAdminSource(w.input.addr),
        witness: i,
        dormant: w.dormant,
        forced: w.forced,
      };
      const sig = signature(spec);
      const at = bySig.get(sig);
      if (at === undefined) {
        const before = out.length;
        add(spec);
        if (out.length > before) bySig.set(sig, before);
      } else if (out[at]!.dormant !== null && spec.dormant === null && out[at]!.role === 'match') out[at] = spec;
    }
  }
  return out;
}

/** The `sshd -T -C` connection spec of a context. */
export function connectionSpec(m: MatchInput): string {
  return [
    `user=${m.user ?? ''}`,
    `host=${m.host ?? ''}`,
    `addr=${m.addr ?? ''}`,
    ...(m.laddr !== null ? [`laddr=${m.laddr}`] : []),
    ...(m.lport !== null ? [`lport=${m.lport}`] : []),
    ...(m.rdomain !== null ? [`rdomain=${m.rdomain}`] : []),
  ].join(',');
}

/**
 * The `-C` spec for the global dump, or null for a plain `sshd -T`. OpenSSH 9.2 refuses `sshd -T`
 * when a Match names LocalPort and the spec has no lport ("'Match LocalPort' in configuration but
 * 'lport' not in connection test specification"), so a port no block names is given: it matches
 * nothing, as the blank connection of a plain `sshd -T` does.
 */
export function globalSpec(model: SshdModel): string | null {
  const named = new Set(model.blocks.flatMap((b) => b.criteria.filter((c) => c.attribute === 'localport').map((c) => Number(c.patterns))));
  if (named.size === 0) return null;
  let port = 65535;
  while (named.has(port)) port--;
  return `lport=${port}`;
}
