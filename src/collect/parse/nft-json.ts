import type { Source } from '../../facts/evidence.js';
import type { FwAction, FwChain, FwHook, FwMatch, FwRuleset, PortRange } from '../../facts/firewall.js';

type J = unknown;
const isObj = (v: J): v is Record<string, J> => typeof v === 'object' && v !== null && !Array.isArray(v);

const HOOKS = new Set(['input', 'output', 'forward', 'prerouting', 'postrouting']);
const FAMILY: Record<string, FwRuleset['family'] | undefined> = { ip: 'ipv4', ip6: 'ipv6', inet: 'inet' };

/** `nft -a list ruleset` lines by rule handle, for evidence that quotes the rule as nft prints it. */
export function handleLines(text: string): Map<string, { line: number; text: string }> {
  const out = new Map<string, { line: number; text: string }>();
  let table = '';
  let chain = '';
  text.split('\n').forEach((raw, i) => {
    const l = raw.trim();
    let m = /^table (\S+) (\S+) \{/.exec(l);
    if (m) {
      table = `${m[1]} ${m[2]}`;
      return;
    }
    m = /^chain (\S+) \{/.exec(l);
    if (m) {
      chain = m[1]!;
      return;
    }
    m = /^(.*?)\s*# handle (\d+)$/.exec(l);
    if (m && chain) out.set(`${table} ${chain} ${m[2]}`, { line: i + 1, text: m[1]! });
  });
  return out;
}

function portsOf(v: J, sets: Map<string, J[]>): PortRange[] | null {
  if (typeof v === 'number') return [{ from: v, to: v }];
  if (typeof v === 'string' && v.startsWith('@')) {
    const elems = sets.get(v.slice(1));
    return elems ? portsOf({ set: elems }, sets) : null;
  }
  if (isObj(v) && Array.isArray(v.range) && typeof v.range[0] === 'number' && typeof v.range[1] === 'number')
    return [{ from: v.range[0], to: v.range[1] }];
  if (isObj(v) && Array.isArray(v.set)) {
    const out: PortRange[] = [];
    for (const e of v.set) {
      const p = portsOf(e, sets);
      if (!p) return null;
      out.push(...p);
    }
    return out;
  }
  return null;
}

function stringsOf(v: J, sets: Map<string, J[]>): string[] | null {
  if (typeof v === 'string') {
    if (v.startsWith('@')) {
      const elems = sets.get(v.slice(1));
      return elems ? stringsOf({ set: elems }, sets) : null;
    }
    return [v];
  }
  if (isObj(v) && isObj(v.prefix) && typeof v.prefix.addr === 'string' && typeof v.prefix.len === 'number')
    return [`${v.prefix.addr}/${v.prefix.len}`];
  if (isObj(v) && Array.isArray(v.set)) {
    const out: string[] = [];
    for (const e of v.set) {
      const s = stringsOf(e, sets);
      if (!s) return null;
      out.push(...s);
    }
    return out;
  }
  return null;
}

function matchOf(m: Record<string, J>, sets: Map<string, J[]>): FwMatch | FwMatch[] {
  const op = m.op;
  const left = m.left;
  const right = m.right;
  const text = JSON.stringify(m).slice(0, 160);
  const negate = op === '!=';
  if (op !== '==' && op !== '!=' && op !== 'in') return { kind: 'unknown', text };
  if (!isObj(left)) return { kind: 'unknown', text };
  if (isObj(left.payload)) {
    const { protocol, field } = left.payload;
    if ((protocol === 'tcp' || protocol === 'udp' || protocol === 'th') && (field === 'dport' || field === 'sport')) {
      const ports = portsOf(right, sets);
      if (!ports) return { kind: 'unknown', text };
      return protocol === 'th'
        ? { kind: field, ports, negate }
        : [
            { kind: 'proto', protos: [protocol], negate: false },
            { kind: field, ports, negate },
          ];
    }
    if ((protocol === 'ip' || protocol === 'ip6') && (field === 'saddr' || field === 'daddr')) {
      const cidrs = stringsOf(right, sets);
      return cidrs ? { kind: field, cidrs, negate } : { kind: 'unknown', text };
    }
    if (protocol === 'ip' && field === 'protocol') {
      const p = stringsOf(right, sets);
      return p ? { kind: 'proto', protos: p, negate } : { kind: 'unknown', text };
    }
    if (protocol === 'ip6' && field === 'nexthdr') {
      const p = stringsOf(right, sets);
      return p ? { kind: 'proto', protos: p, negate } : { kind: 'unknown', text };
    }
    return { kind: 'unknown', text };
  }
  if (isObj(left.meta)) {
    const key = left.meta.key;
    const vals = stringsOf(right, sets);
    if (!vals) return { kind: 'unknown', text };
    if (key === 'l4proto') return { kind: 'proto', protos: vals, negate };
    if (key === 'iif' || key === 'iifname') return { kind: 'iif', names: vals, negate };
    if (key === 'oif' || key === 'oifname') return { kind: 'oif', names: vals, negate };
    if (key === 'nfproto' && vals.length === 1 && (vals[0] === 'ipv4' || vals[0] === 'ipv6')) {
      return negate ? { kind: 'family', family: vals[0] === 'ipv4' ? 'ipv6' : 'ipv4' } : { kind: 'family', family: vals[0] };
    }
    return { kind: 'unknown', text };
  }
  if (isObj(left.ct) && left.ct.key === 'state') {
    const st =
      typeof right === 'string'
        ? [right]
        : Array.isArray(right)
          ? right.filter((x): x is string => typeof x === 'string')
          : stringsOf(right, sets);
    return st ? { kind: 'ctstate', states: st, negate } : { kind: 'unknown', text };
  }
  if (isObj(left.fib)) return { kind: 'unknown', text };
  return { kind: 'unknown', text };
}

function limitOf(l: J): FwMatch {
  const o = isObj(l) ? l : {};
  const rate = `${String(o.rate)}/${String(o.per)}`;
  return { kind: 'ratelimit', matchesWhen: o.inv === true ? 'over' : 'under', text: `limit rate ${o.inv === true ? 'over ' : ''}${rate}` };
}

/** Converts one rule's `expr` list. Statements that only count or log continue. */
export function convertExpr(expr: J[], sets: Map<string, J[]>): { matches: FwMatch[]; action: FwAction } {
  const matches: FwMatch[] = [];
  let action: FwAction = { kind: 'continue' };
  for (const e of expr) {
    if (!isObj(e)) {
      matches.push({ kind: 'unknown', text: String(e) });
      continue;
    }
    const [key] = Object.keys(e);
    const v = key === undefined ? null : e[key];
    switch (key) {
      case 'match':
        if (isObj(v)) matches.push(...[matchOf(v, sets)].flat());
        break;
      case 'accept':
        action = { kind: 'accept' };
        break;
      case 'drop':
        action = { kind: 'drop' };
        break;
      case 'reject':
        action = { kind: 'reject' };
        break;
      case 'return':
        action = { kind: 'return' };
        break;
      case 'jump':
      case 'goto':
        action = isObj(v) && typeof v.target === 'string' ? { kind: key, chain: v.target } : { kind: 'unknown', text: JSON.stringify(e) };
        break;
      case 'limit':
        matches.push(limitOf(v));
        break;
      case 'meter':
        matches.push(
          isObj(v) && isObj(v.stmt) && 'limit' in v.stmt
            ? limitOf(v.stmt.limit)
            : { kind: 'unknown', text: JSON.stringify(e).slice(0, 160) },
        );
        break;
      case 'counter':
      case 'log':
      case 'mangle':
      case 'comment':
        break;
      case 'vmap':
      case 'queue':
      case 'xt':
      default:
        action = { kind: 'unknown', text: JSON.stringify(e).slice(0, 160) };
    }
  }
  return { matches, action };
}

/** `nft -j list ruleset` → rulesets, one per table with chains (filter-type base chains only decide). */
export function parseNftJson(text: string, command: string, aText?: string): { rulesets: FwRuleset[]; errors: string[] } {
  let doc: J;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { rulesets: [], errors: [`${command}: output is not JSON (${e instanceof Error ? e.message : String(e)})`] };
  }
  if (!isObj(doc) || !Array.isArray(doc.nftables)) return { rulesets: [], errors: [`${command}: no "nftables" array in the output`] };
  const lines = aText ? handleLines(aText) : new Map<string, { line: number; text: string }>();
  const aCommand = 'nft -a list ruleset';
  const tables = new Map<string, FwRuleset>();
  const sets = new Map<string, Map<string, J[]>>();
  const errors: string[] = [];
  const tkey = (f: J, t: J): string => `${String(f)} ${String(t)}`;
  for (const item of doc.nftables) {
    if (!isObj(item)) continue;
    if (isObj(item.table)) {
      const fam = FAMILY[String(item.table.family)];
      if (fam)
        tables.set(tkey(item.table.family, item.table.name), {
          backend: 'nftables',
          family: fam,
          table: `${String(item.table.family)} ${String(item.table.name)}`,
          chains: [],
          source: { command },
        });
    } else if (isObj(item.set)) {
      const s = item.set;
      const k = tkey(s.family, s.table);
      if (!sets.has(k)) sets.set(k, new Map());
      sets.get(k)!.set(String(s.name), Array.isArray(s.elem) ? s.elem : []);
    } else if (isObj(item.chain)) {
      const c = item.chain;
      const rs = tables.get(tkey(c.family, c.table));
      if (!rs) continue;
      const isBase = typeof c.hook === 'string' && HOOKS.has(c.hook) && c.type === 'filter';
      const chain: FwChain = {
        name: String(c.name),
        hook: isBase ? (c.hook as FwHook) : null,
        priority: typeof c.prio === 'number' ? c.prio : 0,
        policy: isBase ? (c.policy === 'drop' ? 'drop' : 'accept') : null,
        rules: [],
        source: {
          command,
          excerpt: `chain ${String(c.name)}${isBase ? ` { type filter hook ${String(c.hook)} priority ${String(c.prio)}; policy ${typeof c.policy === 'string' ? c.policy : 'accept'}; }` : ''}`,
        },
      };
      rs.chains.push(chain);
    } else if (isObj(item.rule)) {
      const r = item.rule;
      const k = tkey(r.family, r.table);
      const rs = tables.get(k);
      const chain = rs?.chains.find((c) => c.name === r.chain);
      if (!rs || !chain) continue;
      const { matches, action } = convertExpr(Array.isArray(r.expr) ? r.expr : [], sets.get(k) ?? new Map<string, J[]>());
      const at = lines.get(`${k} ${String(r.chain)} ${String(r.handle)}`);
      const src: Source = at ? { command: aCommand, line: at.line } : { command };
      chain.rules.push({ matches, action, text: at?.text ?? `handle ${String(r.handle)}`, source: src });
    }
  }
  return { rulesets: [...tables.values()], errors };
}
