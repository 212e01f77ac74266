import type { Source } from '../../facts/evidence.js';
import type { FwAction, FwChain, FwHook, FwMatch, FwRule, PortRange } from '../../facts/firewall.js';

/** A table of iptables-save / iptables-restore text. */
export interface IptTable {
  name: string;
  chains: FwChain[];
}

export interface IptParse {
  tables: IptTable[];
  errors: { message: string; line: number }[];
}

const BUILTIN_HOOK: Record<string, FwHook> = {
  INPUT: 'input',
  OUTPUT: 'output',
  FORWARD: 'forward',
  PREROUTING: 'prerouting',
  POSTROUTING: 'postrouting',
};
const OTHER_TARGETS = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'QUEUE', 'NFQUEUE', 'TPROXY', 'TARPIT', 'SYNPROXY']);
const NON_TERMINAL = new Set([
  'LOG',
  'NFLOG',
  'ULOG',
  'MARK',
  'CONNMARK',
  'AUDIT',
  'TRACE',
  'NOTRACK',
  'CT',
  'CHECKSUM',
  'SET',
  'TCPMSS',
  'CLASSIFY',
  'DSCP',
  'TOS',
  'TTL',
  'HL',
  'SECMARK',
  'CONNSECMARK',
  'LED',
  'IDLETIMER',
]);
/** Options that take no value. */
const FLAGS = new Set([
  '--set',
  '--update',
  '--rcheck',
  '--remove',
  '--rsource',
  '--rdest',
  '--syn',
  '--reap',
  '--rttl',
  '--limit-iface-in',
  '--limit-iface-out',
  '--log-tcp-sequence',
  '--log-tcp-options',
  '--log-ip-options',
  '--log-uid',
  '--log-macdecode',
  '--random',
  '--random-fully',
  '--persistent',
  '--fragment',
  '-f',
]);

/** Splits a rule line like iptables-restore does: whitespace, double quotes. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

export function parsePorts(text: string): PortRange[] | null {
  const out: PortRange[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d{0,5})(?:[:-](\d{0,5}))?$/.exec(part);
    if (!m || (m[1] === '' && m[2] === undefined)) return null;
    const from = m[1] === '' ? 0 : Number(m[1]);
    const to = m[2] === undefined ? from : m[2] === '' ? 65535 : Number(m[2]);
    if (from > 65535 || to > 65535 || to < from) return null;
    out.push({ from, to });
  }
  return out;
}

/** Parses the options of one `-A CHAIN ...` line into matches and an action. */
export function parseRuleTokens(tokens: string[]): { matches: FwMatch[]; action: FwAction } {
  const matches: FwMatch[] = [];
  let action: FwAction = { kind: 'continue' };
  let negate = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const val = (): string => tokens[++i] ?? '';
    if (t === '!') {
      negate = true;
      continue;
    }
    const n = negate;
    negate = false;
    switch (t) {
      case '-p':
      case '--protocol': {
        const v = val().toLowerCase();
        matches.push({ kind: 'proto', protos: [v === '6' ? 'tcp' : v === '17' ? 'udp' : v], negate: n });
        break;
      }
      case '-s':
      case '--source':
      case '--src':
        matches.push({ kind: 'saddr', cidrs: val().split(','), negate: n });
        break;
      case '-d':
      case '--destination':
      case '--dst':
        matches.push({ kind: 'daddr', cidrs: val().split(','), negate: n });
        break;
      case '-i':
      case '--in-interface':
        matches.push({ kind: 'iif', names: [val()], negate: n });
        break;
      case '-o':
      case '--out-interface':
        matches.push({ kind: 'oif', names: [val()], negate: n });
        break;
      case '-m':
      case '--match':
        val();
        break;
      case '-j':
      case '--jump':
      case '-g':
      case '--goto': {
        const target = val();
        if (t === '-g' || t === '--goto') action = { kind: 'goto', chain: target };
        else if (target === 'ACCEPT') action = { kind: 'accept' };
        else if (target === 'DROP') action = { kind: 'drop' };
        else if (target === 'REJECT') action = { kind: 'reject' };
        else if (target === 'RETURN') action = { kind: 'return' };
        else if (NON_TERMINAL.has(target)) action = { kind: 'continue' };
        else if (OTHER_TARGETS.has(target)) action = { kind: 'unknown', text: target };
        else action = { kind: 'jump', chain: target };
        // The target's own options follow; skip them.
        while (i + 1 < tokens.length && tokens[i + 1]!.startsWith('--')) {
          i++;
          if (!FLAGS.has(tokens[i]!) && i + 1 < tokens.length && !tokens[i + 1]!.startsWith('--')) i++;
        }
        break;
      }
      case '--dport':
      case '--destination-port':
      case '--dports':
      case '--destination-ports':
      case '--ports':
      case '--sport':
      case '--source-port':
      case '--sports':
      case '--source-ports': {
        const v = val();
        const ports = parsePorts(v);
        if (!ports) matches.push({ kind: 'unknown', text: `${n ? '! ' : ''}${t} ${v}` });
        else matches.push({ kind: /^--(s|source)/.test(t) ? 'sport' : 'dport', ports, negate: n });
        break;
      }
      case '--ctstate':
      case '--state':
        matches.push({ kind: 'ctstate', states: val().split(','), negate: n });
        break;
      case '--dst-type':
      case '--src-type':
        matches.push({ kind: 'addrtype', which: t === '--dst-type' ? 'dst' : 'src', types: val().split(','), negate: n });
        break;
      case '--limit':
      case '--hashlimit-upto':
      case '--hashlimit':
      case '--connlimit-upto':
        matches.push({ kind: 'ratelimit', matchesWhen: n ? 'over' : 'under', text: `${t} ${val()}` });
        break;
      case '--hashlimit-above':
      case '--connlimit-above':
        matches.push({ kind: 'ratelimit', matchesWhen: n ? 'under' : 'over', text: `${t} ${val()}` });
        break;
      case '--update':
      case '--rcheck':
        matches.push({ kind: 'ratelimit', matchesWhen: n ? 'under' : 'over', text: `recent ${t}` });
        break;
      case '--set':
      case '--remove':
        matches.push({ kind: 'ratelimit', matchesWhen: 'always', text: `recent ${t}` });
        break;
      case '--rt-type':
        // IPv6 routing header type: a plain TCP/UDP probe carries none.
        matches.push({ kind: 'proto', protos: [`ipv6-route-type-${val()}`], negate: n });
        break;
      case '--syn':
        if (n) matches.push({ kind: 'unknown', text: '! --syn' });
        break;
      case '--comment':
      case '--limit-burst':
      case '--name':
      case '--seconds':
      case '--hitcount':
      case '--mask':
      case '--hashlimit-burst':
      case '--hashlimit-mode':
      case '--hashlimit-name':
      case '--hashlimit-htable-expire':
      case '--hashlimit-srcmask':
      case '--hashlimit-htable-size':
      case '--hashlimit-htable-max':
      case '--hashlimit-htable-gcinterval':
      case '--connlimit-mask':
      case '--icmp-type':
      case '--icmpv6-type':
      case '--ctdir':
        val();
        break;
      default:
        if (FLAGS.has(t)) break;
        if (t.startsWith('-')) {
          const takes = i + 1 < tokens.length && !tokens[i + 1]!.startsWith('-') && tokens[i + 1] !== '!';
          const v = takes ? val() : '';
          if (!['--rsource', '--rdest', '--reap', '--rttl'].includes(t))
            matches.push({ kind: 'unknown', text: `${n ? '! ' : ''}${t}${v ? ` ${v}` : ''}` });
        } else {
          matches.push({ kind: 'unknown', text: t });
        }
    }
  }
  return { matches, action };
}

/**
 * iptables-save / iptables-restore format (also ufw's *.rules and /etc/iptables/rules.v4): tables
 * (`*filter`), chains (`:INPUT DROP [0:0]`), rules (`-A INPUT ...`), `COMMIT`. Line numbers are 1-based.
 */
export function parseIptablesSave(text: string, origin: Source): IptParse {
  const tables: IptTable[] = [];
  const errors: IptParse['errors'] = [];
  let table: IptTable | null = null;
  const lines = text.split('\n');
  const src = (line: number): Source => (origin.path ? { path: origin.path, line } : { ...origin, line });
  const chainOf = (t: IptTable, name: string, line: number): FwChain => {
    let c = t.chains.find((x) => x.name === name);
    if (!c) {
      const hook = BUILTIN_HOOK[name] ?? null;
      c = { name, hook, priority: 0, policy: hook ? 'accept' : null, rules: [], source: src(line) };
      t.chains.push(c);
    }
    return c;
  };
  lines.forEach((raw, idx) => {
    const line = idx + 1;
    const l = raw.trim();
    if (l === '' || l.startsWith('#')) return;
    if (l.startsWith('*')) {
      const name = l.slice(1);
      table = tables.find((x) => x.name === name) ?? null;
      if (!table) {
        table = { name, chains: [] };
        tables.push(table);
      }
      return;
    }
    if (l === 'COMMIT') {
      table = null;
      return;
    }
    if (!table) {
      errors.push({ message: `line ${line}: outside a table (no *filter before it): ${l.slice(0, 80)}`, line });
      return;
    }
    if (l.startsWith(':')) {
      const m = /^:(\S+)\s+(\S+)/.exec(l);
      if (!m) {
        errors.push({ message: `line ${line}: malformed chain line: ${l.slice(0, 80)}`, line });
        return;
      }
      const c = chainOf(table, m[1]!, line);
      c.source = src(line);
      if (c.hook) c.policy = m[2] === 'DROP' ? 'drop' : m[2] === 'ACCEPT' ? 'accept' : c.policy;
      return;
    }
    const tokens = tokenize(l);
    if ((tokens[0] === '-A' || tokens[0] === '--append' || tokens[0] === '-I') && tokens[1]) {
      const c = chainOf(table, tokens[1], line);
      const { matches, action } = parseRuleTokens(tokens.slice(2));
      const rule: FwRule = { matches, action, text: l.length > 200 ? `${l.slice(0, 200)}…` : l, source: src(line) };
      if (tokens[0] === '-I') c.rules.unshift(rule);
      else c.rules.push(rule);
      return;
    }
    errors.push({ message: `line ${line}: not an iptables-restore line: ${l.slice(0, 80)}`, line });
  });
  if (table)
    errors.push({
      message: `table *${(table as IptTable).name} has no COMMIT (iptables-restore would refuse the file)`,
      line: lines.length,
    });
  return { tables, errors };
}
