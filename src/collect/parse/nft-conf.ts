import type { Source } from '../../facts/evidence.js';
import type { FwAction, FwChain, FwHook, FwMatch, FwRuleset } from '../../facts/firewall.js';
import { parsePorts } from './iptables-save.js';

/**
 * The common subset of nftables' text syntax (nft(8)), as /etc/nftables.conf holds it: `table`
 * blocks with chains (`type filter hook input priority …; policy drop;`), sets, `define`, `include`
 * and rules with tcp/udp/th dport, ip/ip6 saddr/daddr, ct state, iif/iifname, meta l4proto, limit
 * rate, meters and verdicts. What is not understood becomes an `unknown` match (a verdict that
 * depends on it is uncertain) or, for structure, an error.
 */

interface Tok {
  t: string;
  path: string;
  line: number;
}
const NL = '\n';

export interface NftConfFile {
  path: string;
  text: string;
}
export interface NftConfParse {
  rulesets: FwRuleset[];
  errors: { message: string; source: Source }[];
  includes: string[];
}

function lex(file: NftConfFile): Tok[] {
  const out: Tok[] = [];
  file.text.split('\n').forEach((raw, i) => {
    const re = /"((?:[^"\\]|\\.)*)"|(#.*$)|([{}();,])|([^\s{}();,"#]+)/g;
    for (let m = re.exec(raw); m; m = re.exec(raw)) {
      if (m[2] !== undefined) break;
      out.push({ t: m[1] !== undefined ? `"${m[1]}"` : (m[3] ?? m[4]!), path: file.path, line: i + 1 });
    }
    out.push({ t: NL, path: file.path, line: i + 1 });
  });
  return out;
}

const PRIORITY: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };
const FAMILY: Record<string, FwRuleset['family'] | undefined> = { ip: 'ipv4', ip6: 'ipv6', inet: 'inet' };
const unq = (s: string): string => (s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);

export function parseNftConf(main: NftConfFile, includes: Record<string, NftConfFile[]>): NftConfParse {
  const errors: NftConfParse['errors'] = [];
  const rulesets: FwRuleset[] = [];
  const defines = new Map<string, Tok[]>();
  const seenIncludes: string[] = [];
  const src = (k: Tok): Source => ({ path: k.path, line: k.line });

  const expand = (toks: Tok[], depth = 0): Tok[] => {
    const out: Tok[] = [];
    for (const k of toks) {
      if (k.t.startsWith('$') && depth < 10) {
        const v = defines.get(k.t.slice(1));
        if (v) out.push(...expand(v, depth + 1).map((x) => ({ ...x, path: k.path, line: k.line })));
        else {
          errors.push({ message: `undefined variable ${k.t}`, source: src(k) });
          out.push(k);
        }
      } else out.push(k);
    }
    return out;
  };

  /** Reads one statement: tokens up to a newline or ';' at brace depth 0; braces inside are kept. */
  const statement = (toks: Tok[], i: number): { stmt: Tok[]; next: number } => {
    const stmt: Tok[] = [];
    let depth = 0;
    for (; i < toks.length; i++) {
      const k = toks[i]!;
      if (depth === 0 && (k.t === NL || k.t === ';')) return { stmt, next: i + 1 };
      if (depth === 0 && k.t === '}') return { stmt, next: i };
      if (k.t === '{') depth++;
      if (k.t === '}') depth--;
      if (k.t !== NL) stmt.push(k);
    }
    return { stmt, next: i };
  };

  const block = (toks: Tok[], i: number): { body: Tok[]; next: number } | null => {
    if (toks[i]?.t !== '{') return null;
    let depth = 0;
    for (let j = i; j < toks.length; j++) {
      if (toks[j]!.t === '{') depth++;
      if (toks[j]!.t === '}' && --depth === 0) return { body: toks.slice(i + 1, j), next: j + 1 };
    }
    return null;
  };

  const parseFile = (file: NftConfFile, depth: number): void => {
    const toks = lex(file);
    let i = 0;
    while (i < toks.length) {
      if (toks[i]!.t === NL || toks[i]!.t === ';') {
        i++;
        continue;
      }
      const head = toks[i]!;
      if (head.t === 'table') {
        let j = i + 1;
        let fam = 'ip';
        if (toks[j] && FAMILY[toks[j]!.t] !== undefined && toks[j + 1]?.t !== '{') fam = toks[j++]!.t;
        else if (toks[j] && ['arp', 'bridge', 'netdev'].includes(toks[j]!.t)) fam = toks[j++]!.t;
        const name = toks[j]?.t ?? '';
        const b = block(toks, j + 1);
        if (!b) {
          errors.push({ message: `table ${name}: no matching "}" (nft would refuse the file)`, source: src(head) });
          return;
        }
        const family = FAMILY[fam];
        if (family) parseTable(family, `${fam} ${name}`, b.body, src(head));
        i = b.next;
        continue;
      }
      const { stmt, next } = statement(toks, i);
      i = next === i ? i + 1 : next;
      const words = stmt.map((k) => k.t);
      if (words[0] === 'flush' && words[1] === 'ruleset') continue;
      if (words[0] === 'define' && words[2] === '=') {
        defines.set(words[1]!, stmt.slice(3));
        continue;
      }
      if (words[0] === 'include' && words[1]) {
        const pat = unq(words[1]);
        seenIncludes.push(pat);
        const files = includes[pat];
        if (!files) errors.push({ message: `include "${pat}" could not be read`, source: src(head) });
        else if (depth > 8) errors.push({ message: `include "${pat}" nests too deep (a loop?)`, source: src(head) });
        else for (const f of files) parseFile(f, depth + 1);
        continue;
      }
      if (words.length) errors.push({ message: `statement not understood: ${words.join(' ').slice(0, 100)}`, source: src(head) });
    }
  };

  const parseTable = (family: FwRuleset['family'], table: string, body: Tok[], source: Source): void => {
    const rs: FwRuleset = rulesets.find((r) => r.table === table) ?? { backend: 'nftables', family, table, chains: [], source };
    if (!rulesets.includes(rs)) rulesets.push(rs);
    const sets = new Map<string, Tok[]>();
    let i = 0;
    while (i < body.length) {
      const k = body[i]!;
      if (k.t === NL || k.t === ';') {
        i++;
        continue;
      }
      if (
        (k.t === 'chain' ||
          k.t === 'set' ||
          k.t === 'map' ||
          k.t === 'flowtable' ||
          k.t === 'counter' ||
          k.t === 'quota' ||
          k.t === 'ct') &&
        body[i + 1]
      ) {
        let j = i + 1;
        while (j < body.length && body[j]!.t !== '{' && body[j]!.t !== NL) j++;
        const b = block(body, j);
        if (!b) {
          errors.push({ message: `${k.t} ${body[i + 1]!.t}: no matching "}"`, source: src(k) });
          return;
        }
        const name = body[i + 1]!.t;
        if (k.t === 'chain') parseChain(rs, name, b.body, src(k), sets);
        else if (k.t === 'set') {
          const e = b.body.findIndex((x) => x.t === 'elements');
          if (e >= 0 && body) {
            const eb = block(b.body, e + 2);
            if (eb) sets.set(name, eb.body);
          } else sets.set(name, []);
        }
        i = b.next;
        continue;
      }
      const { stmt, next } = statement(body, i);
      i = next === i ? i + 1 : next;
      if (stmt.length && stmt[0]!.t !== 'flags' && stmt[0]!.t !== 'comment')
        errors.push({
          message: `in table ${table}: not understood: ${stmt
            .map((x) => x.t)
            .join(' ')
            .slice(0, 100)}`,
          source: src(k),
        });
    }
  };

  const parseChain = (rs: FwRuleset, name: string, body: Tok[], source: Source, sets: Map<string, Tok[]>): void => {
    const chain: FwChain = rs.chains.find((c) => c.name === name) ?? { name, hook: null, priority: 0, policy: null, rules: [], source };
    if (!rs.chains.includes(chain)) rs.chains.push(chain);
    let i = 0;
    while (i < body.length) {
      if (body[i]!.t === NL || body[i]!.t === ';') {
        i++;
        continue;
      }
      const { stmt, next } = statement(body, i);
      i = next === i ? i + 1 : next;
      if (!stmt.length) continue;
      const w = stmt.map((k) => k.t);
      if (w[0] === 'type') {
        const hook = w[w.indexOf('hook') + 1] ?? '';
        const prioTok = w[w.indexOf('priority') + 1] ?? '0';
        const prio =
          PRIORITY[prioTok.replace(/[+-]\d+$/, '')] !== undefined
            ? PRIORITY[prioTok.replace(/[+-]\d+$/, '')]! + Number(/[+-]\d+$/.exec(prioTok)?.[0] ?? 0)
            : Number(prioTok);
        if (w[1] === 'filter' && ['input', 'output', 'forward', 'prerouting', 'postrouting'].includes(hook)) {
          chain.hook = hook as FwHook;
          chain.priority = Number.isFinite(prio) ? prio : 0;
          chain.policy ??= 'accept';
          chain.source = src(stmt[0]!);
        }
        continue;
      }
      if (w[0] === 'policy') {
        chain.policy = w[1] === 'drop' ? 'drop' : 'accept';
        chain.source = src(stmt[0]!);
        continue;
      }
      if (w[0] === 'comment' || w[0] === 'devices') continue;
      const toks = expand(stmt);
      const { matches, action } = parseRule(toks, sets);
      chain.rules.push({ matches, action, text: w.join(' ').slice(0, 200), source: src(stmt[0]!) });
    }
    if (chain.hook && chain.policy === null) chain.policy = 'accept';
  };

  parseFile(main, 0);
  return { rulesets, errors, includes: seenIncludes };
}

/** Value after a selector: `{ a, b }`, `@set`, or one token (may hold commas). */
function takeValue(toks: Tok[], i: number, sets: Map<string, Tok[]>): { vals: string[] | null; next: number } {
  const k = toks[i];
  if (!k) return { vals: null, next: i };
  if (k.t === '{') {
    const vals: string[] = [];
    let j = i + 1;
    for (; j < toks.length && toks[j]!.t !== '}'; j++) if (toks[j]!.t !== ',' && toks[j]!.t !== NL) vals.push(unq(toks[j]!.t));
    return { vals, next: j + 1 };
  }
  if (k.t.startsWith('@')) {
    const s = sets.get(k.t.slice(1));
    return { vals: s ? s.filter((x) => x.t !== ',' && x.t !== NL).map((x) => unq(x.t)) : null, next: i + 1 };
  }
  return { vals: k.t.split(',').filter(Boolean).map(unq), next: i + 1 };
}

function parseRule(toks: Tok[], sets: Map<string, Tok[]>): { matches: FwMatch[]; action: FwAction } {
  const matches: FwMatch[] = [];
  let action: FwAction = { kind: 'continue' };
  let i = 0;
  const text = (a: number, b: number): string =>
    toks
      .slice(a, b)
      .map((k) => k.t)
      .join(' ');
  while (i < toks.length) {
    const a = toks[i]!.t;
    const b = toks[i + 1]?.t;
    const start = i;
    const sel = (n: number): { negate: boolean; vals: string[] | null; next: number } => {
      let j = i + n;
      let negate = false;
      if (toks[j]?.t === '!=' || toks[j]?.t === 'ne') {
        negate = true;
        j++;
      } else if (toks[j]?.t === '==' || toks[j]?.t === 'eq') j++;
      const v = takeValue(toks, j, sets);
      return { negate, vals: v.vals, next: v.next };
    };
    if ((a === 'tcp' || a === 'udp' || a === 'th' || a === 'sctp') && (b === 'dport' || b === 'sport')) {
      const s = sel(2);
      const ports = s.vals ? parsePorts(s.vals.join(',').replace(/(\d+)-(\d+)/g, '$1:$2')) : null;
      if (a !== 'th') matches.push({ kind: 'proto', protos: [a], negate: false });
      matches.push(ports ? { kind: b, ports, negate: s.negate } : { kind: 'unknown', text: text(start, s.next) });
      i = s.next;
    } else if ((a === 'ip' || a === 'ip6') && (b === 'saddr' || b === 'daddr')) {
      const s = sel(2);
      matches.push(s.vals ? { kind: b, cidrs: s.vals, negate: s.negate } : { kind: 'unknown', text: text(start, s.next) });
      i = s.next;
    } else if (a === 'ct' && b === 'state') {
      const s = sel(2);
      matches.push(s.vals ? { kind: 'ctstate', states: s.vals, negate: s.negate } : { kind: 'unknown', text: text(start, s.next) });
      i = s.next;
    } else if (
      a === 'iif' ||
      a === 'iifname' ||
      a === 'oif' ||
      a === 'oifname' ||
      (a === 'meta' && b && ['iif', 'iifname', 'oif', 'oifname', 'l4proto', 'nfproto'].includes(b))
    ) {
      const key = a === 'meta' ? b! : a;
      const s = sel(a === 'meta' ? 2 : 1);
      if (!s.vals) matches.push({ kind: 'unknown', text: text(start, s.next) });
      else if (key === 'l4proto') matches.push({ kind: 'proto', protos: s.vals, negate: s.negate });
      else if (key === 'nfproto')
        matches.push(
          s.vals.length === 1 && (s.vals[0] === 'ipv4' || s.vals[0] === 'ipv6') && !s.negate
            ? { kind: 'family', family: s.vals[0] }
            : { kind: 'unknown', text: text(start, s.next) },
        );
      else matches.push({ kind: key.startsWith('i') ? 'iif' : 'oif', names: s.vals, negate: s.negate });
      i = s.next;
    } else if ((a === 'ip' && b === 'protocol') || (a === 'ip6' && b === 'nexthdr')) {
      const s = sel(2);
      matches.push(s.vals ? { kind: 'proto', protos: s.vals, negate: s.negate } : { kind: 'unknown', text: text(start, s.next) });
      i = s.next;
    } else if ((a === 'icmp' || a === 'icmpv6') && b === 'type') {
      const s = sel(2);
      matches.push({ kind: 'proto', protos: [a === 'icmp' ? 'icmp' : 'ipv6-icmp'], negate: false });
      i = s.next;
    } else if (a === 'limit' && b === 'rate') {
      let j = i + 2;
      const over = toks[j]?.t === 'over';
      if (over) j++;
      const rate = toks[j]?.t ?? '';
      j++;
      if (toks[j]?.t === 'burst') j += 3;
      matches.push({ kind: 'ratelimit', matchesWhen: over ? 'over' : 'under', text: `limit rate ${over ? 'over ' : ''}${rate}` });
      i = j;
    } else if (a === 'meter' || ((a === 'add' || a === 'update') && b?.startsWith('@'))) {
      let j = i + 1;
      while (j < toks.length && toks[j]!.t !== '{') j++;
      let depth = 0;
      const inner: string[] = [];
      for (; j < toks.length; j++) {
        if (toks[j]!.t === '{') depth++;
        else if (toks[j]!.t === '}') {
          if (--depth === 0) break;
        } else inner.push(toks[j]!.t);
      }
      const li = inner.indexOf('limit');
      if (li >= 0 && inner[li + 1] === 'rate') {
        const over = inner[li + 2] === 'over';
        matches.push({
          kind: 'ratelimit',
          matchesWhen: over ? 'over' : 'under',
          text: `${a} … limit rate ${over ? 'over ' : ''}${inner[li + (over ? 3 : 2)] ?? ''}`,
        });
      } else matches.push({ kind: 'unknown', text: text(start, j + 1) });
      i = j + 1;
    } else if (a === 'counter') {
      i++;
      while (toks[i] && (toks[i]!.t === 'packets' || toks[i]!.t === 'bytes')) i += 2;
    } else if (a === 'log') {
      i++;
      while (toks[i] && ['prefix', 'level', 'group', 'snaplen', 'queue-threshold', 'flags'].includes(toks[i]!.t)) i += 2;
    } else if (a === 'comment') {
      i += 2;
    } else if (a === 'accept' || a === 'drop' || a === 'return' || a === 'continue') {
      action = a === 'continue' ? { kind: 'continue' } : { kind: a };
      i++;
    } else if (a === 'reject') {
      action = { kind: 'reject' };
      i = toks.length;
    } else if ((a === 'jump' || a === 'goto') && b) {
      action = { kind: a, chain: b };
      i += 2;
    } else {
      const rest = text(i, toks.length);
      if (['queue', 'vmap', 'dnat', 'snat', 'masquerade', 'redirect', 'tproxy', 'notrack', 'synproxy'].some((x) => rest.includes(x)))
        action = { kind: 'unknown', text: rest.slice(0, 120) };
      else matches.push({ kind: 'unknown', text: rest.slice(0, 120) });
      i = toks.length;
    }
  }
  return { matches, action };
}
