import type { Source } from '../../facts/evidence.js';
import type { FwChain, FwFamily, FwRuleset, UfwTuple } from '../../facts/firewall.js';
import { parseIptablesSave } from './iptables-save.js';

/** KEY=value lines of /etc/ufw/ufw.conf and /etc/default/ufw (shell syntax, quotes stripped); last one wins. */
export function parseUfwKeyValues(text: string, path: string): Record<string, { value: string; source: Source }> {
  const out: Record<string, { value: string; source: Source }> = {};
  text.split('\n').forEach((raw, i) => {
    const m = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(raw);
    if (!m) return;
    const value = m[2]!
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .replace(/^'(.*)'$/, '$1');
    out[m[1]!] = { value, source: { path, line: i + 1, excerpt: raw.trim() } };
  });
  return out;
}

/** The `### tuple ###` comments ufw writes above each rule of user.rules / user6.rules. */
export function parseUfwTuples(text: string, path: string, family: FwFamily): UfwTuple[] {
  const out: UfwTuple[] = [];
  text.split('\n').forEach((raw, i) => {
    const m = /^### tuple ### (.*)$/.exec(raw.trim());
    if (!m) return;
    const f = m[1]!.split(/\s+/);
    // action proto dport dst sport src [dapp sapp] direction[_iface]
    const [action = '', proto = '', dport = '', dst = '', sport = '', src = ''] = f;
    out.push({
      action,
      proto,
      dport,
      dst,
      sport,
      src,
      direction: f[f.length - 1] ?? 'in',
      family,
      source: { path, line: i + 1, excerpt: raw.trim() },
    });
  });
  return out;
}

/**
 * The ruleset ufw-init loads at boot (lib/ufw/ufw-init-functions, ufw 0.36): the INPUT/OUTPUT jumps
 * into ufw's chains, before*.rules, user*.rules, after*.rules, and the skip-to-policy, reject and
 * track chains that follow DEFAULT_*_POLICY.
 */
export function synthesizeUfwRuleset(
  family: FwFamily,
  files: { path: string; text: string }[],
  policy: { input: string; output: string; source: Source },
): { ruleset: FwRuleset; errors: { message: string; source: Source }[] } {
  const chains: FwChain[] = [];
  const errors: { message: string; source: Source }[] = [];
  const pol = (p: string): 'accept' | 'drop' => (p.toUpperCase() === 'ACCEPT' ? 'accept' : 'drop');
  const note = policy.source;
  const jump = (chain: string) => ({
    matches: [],
    action: { kind: 'jump' as const, chain },
    text: `-j ${chain}`,
    source: { ...note, note: 'ufw-init (built in)' },
  });
  const target = (p: string) =>
    p.toUpperCase() === 'ACCEPT'
      ? { kind: 'accept' as const }
      : p.toUpperCase() === 'REJECT'
        ? { kind: 'reject' as const }
        : { kind: 'drop' as const };
  const T = family === 'ipv6' ? 'ufw6' : 'ufw';
  const stage = (name: 'INPUT' | 'OUTPUT', p: string, dir: string): FwChain => ({
    name,
    hook: name === 'INPUT' ? 'input' : 'output',
    priority: 0,
    policy: pol(p),
    rules: ['before-logging', 'before', 'after', 'after-logging', 'reject', 'track'].map((c) => jump(`${T}-${c}-${dir}`)),
    source: { ...note, excerpt: `${name} policy ${p} (DEFAULT_${name === 'INPUT' ? 'INPUT' : 'OUTPUT'}_POLICY)` },
  });
  chains.push(stage('INPUT', policy.input, 'input'), stage('OUTPUT', policy.output, 'output'));
  for (const [dir, p] of [
    ['input', policy.input],
    ['output', policy.output],
  ] as const) {
    const trackRules =
      p.toUpperCase() === 'ACCEPT'
        ? ['tcp', 'udp'].map((proto) => ({
            matches: [
              { kind: 'proto' as const, protos: [proto], negate: false },
              { kind: 'ctstate' as const, states: ['NEW'], negate: false },
            ],
            action: { kind: 'accept' as const },
            text: `-p ${proto} -m conntrack --ctstate NEW -j ACCEPT`,
            source: { ...note, note: 'ufw-init (built in)' },
          }))
        : [];
    chains.push(
      {
        name: `${T}-skip-to-policy-${dir}`,
        hook: null,
        priority: 0,
        policy: null,
        rules: [{ matches: [], action: target(p), text: `-j ${p}`, source: { ...note, note: 'ufw-init (built in)' } }],
        source: note,
      },
      {
        name: `${T}-reject-${dir}`,
        hook: null,
        priority: 0,
        policy: null,
        rules: p.toUpperCase() === 'REJECT' ? [{ matches: [], action: { kind: 'reject' }, text: '-j REJECT', source: note }] : [],
        source: note,
      },
      { name: `${T}-track-${dir}`, hook: null, priority: 0, policy: null, rules: trackRules, source: note },
    );
  }
  for (const f of files) {
    const parsed = parseIptablesSave(f.text, { path: f.path });
    for (const e of parsed.errors) errors.push({ message: `${f.path}: ${e.message}`, source: { path: f.path, line: e.line } });
    for (const t of parsed.tables) {
      if (t.name !== 'filter') continue;
      for (const c of t.chains) {
        if (c.hook) continue; // ufw's files only declare its own chains
        const existing = chains.find((x) => x.name === c.name);
        if (existing) existing.rules.push(...c.rules);
        else chains.push({ ...c });
      }
    }
  }
  // ufw-init hooks the user chains in after loading user*.rules.
  for (const dir of ['input', 'output'] as const) {
    const c = chains.find((x) => x.name === `${T}-before-${dir}`);
    if (c) c.rules.push(jump(`${T}-user-${dir}`));
  }
  return {
    ruleset: { backend: 'ufw', family, table: 'filter', chains, source: { ...note, note: 'ufw files as ufw-init loads them' } },
    errors,
  };
}

/** IPV6=no: ufw-init loads INPUT/OUTPUT DROP with loopback accepted for IPv6 (ufw-init-functions). */
export function ufwIpv6Disabled(source: Source): FwRuleset {
  const src = { ...source, note: 'IPV6=no: ufw-init drops IPv6 except loopback' };
  const lo = (kind: 'iif' | 'oif') => ({
    matches: [{ kind, names: ['lo'], negate: false }],
    action: { kind: 'accept' as const },
    text: `-A ${kind === 'iif' ? 'INPUT -i' : 'OUTPUT -o'} lo -j ACCEPT`,
    source: src,
  });
  return {
    backend: 'ufw',
    family: 'ipv6',
    table: 'filter',
    source: src,
    chains: [
      { name: 'INPUT', hook: 'input', priority: 0, policy: 'drop', rules: [lo('iif')], source: src },
      { name: 'OUTPUT', hook: 'output', priority: 0, policy: 'drop', rules: [lo('oif')], source: src },
    ],
  };
}
