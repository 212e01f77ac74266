import { absent, collected } from '../facts/fact.js';
import type { Source } from '../facts/evidence.js';
import type { DockerPublish, FirewallFacts, FwFamily, FwRuleset, UfwFacts } from '../facts/firewall.js';
import { parseIptablesSave, parsePorts, tokenize, type IptTable } from './parse/iptables-save.js';
import { parseNftJson } from './parse/nft-json.js';
import { parseNftConf, type NftConfFile } from './parse/nft-conf.js';
import { parseUfwKeyValues, parseUfwTuples, synthesizeUfwRuleset, ufwIpv6Disabled } from './parse/ufw-conf.js';
import { firstExisting } from './paths.js';
import { hostOf } from './host/index.js';
import { enablingLinks } from './host/units.js';
import { defineCollector, type CollectContext } from './types.js';
import { gathersOfAll, unitGathers } from './gathers.js';

const SBIN = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

type Problems = FirewallFacts['problems'];

async function hasBinary(ctx: CollectContext, name: string): Promise<boolean> {
  return (
    (await firstExisting(
      ctx.target,
      SBIN.map((d) => `${d}/${name}`),
    )) !== null
  );
}

/** Enabled at boot (host/units.ts bootState: a link in a target the boot reaches, not masked); the link that says so. */
async function enabledAtBoot(ctx: CollectContext, unit: string): Promise<Source | null> {
  const boot = await hostOf(ctx).units.bootState(unit);
  const link = boot.enabled ? enablingLinks(boot)[0] : undefined;
  return link ? { path: link.path } : null;
}

async function readOpt(ctx: CollectContext, path: string, problems: Problems): Promise<string | null> {
  const r = await ctx.target.readText(path, { maxBytes: 4 * 1024 * 1024 });
  if (r.ok) return r.text;
  if (r.error !== 'missing') problems.push({ message: r.message, source: { path } });
  return null;
}

function tablesToRulesets(tables: IptTable[], backend: FwRuleset['backend'], family: FwFamily, source: Source): FwRuleset[] {
  return tables.filter((t) => t.name === 'filter').map((t) => ({ backend, family, table: t.name, chains: t.chains, source }));
}

function dockerPublished(tables: IptTable[]): { published: DockerPublish[] } | null {
  const nat = tables.find((t) => t.name === 'nat');
  const chain = nat?.chains.find((c) => c.name === 'DOCKER');
  if (!chain) return null;
  const published: DockerPublish[] = [];
  for (const r of chain.rules) {
    const tok = tokenize(r.text);
    const j = tok.indexOf('DNAT');
    if (j < 0) continue;
    const to = tok[tok.indexOf('--to-destination') + 1] ?? '';
    const proto = tok[tok.indexOf('-p') + 1] ?? 'tcp';
    const dport = tok.indexOf('--dport') >= 0 ? parsePorts(tok[tok.indexOf('--dport') + 1] ?? '') : null;
    const d = tok.indexOf('-d');
    const host = d >= 0 && tok[d - 1] !== '!' ? (tok[d + 1] ?? '').replace(/\/(32|128)$/, '') : null;
    if (dport?.[0]) published.push({ proto, port: dport[0], hostAddress: host, to, source: { ...r.source, excerpt: r.text } });
  }
  return { published };
}

/** The nf_tables families that hold tables, from `nft -j list ruleset` (null: nft could not answer). */
type NftAnswer = { stdout: string; command: string; families: Set<string> } | null;

async function liveNftJson(ctx: CollectContext, facts: FirewallFacts): Promise<NftAnswer> {
  if (!(await hasBinary(ctx, 'nft'))) return null;
  const r = await ctx.target.run(['nft', '-j', 'list', 'ruleset'], { timeoutMs: ctx.commandTimeoutMs, maxBytes: 64 * 1024 * 1024 });
  if (!r.ok || r.code !== 0) {
    facts.problems.push({
      message: `nft -j list ruleset failed: ${r.ok ? r.stderr.trim().slice(0, 200) : r.message}`,
      source: { command: 'nft -j list ruleset' },
    });
    return null;
  }
  const families = new Set(parseNftJson(r.stdout, r.command).rulesets.map((rs) => rs.table.split(' ')[0]!));
  return { stdout: r.stdout, command: r.command, families };
}

/**
 * Whether an iptables variant can hold rules, without running it: iptables-nft's tables are
 * nf_tables tables of family ip/ip6 (nft lists them), and iptables-legacy-save prints exactly the
 * tables named in /proc/net/ip{,6}_tables_names (empty or absent: none; running it would even load
 * the ip_tables module). A variant that cannot hold rules is skipped with a note saying why.
 */
async function variantEmpty(
  ctx: CollectContext,
  v: { backend: FwRuleset['backend']; family: FwFamily },
  nft: NftAnswer,
): Promise<Source | null> {
  if (v.backend === 'iptables-nft') {
    const fam = v.family === 'ipv4' ? 'ip' : 'ip6';
    return nft && !nft.families.has(fam)
      ? { command: nft.command, note: `no nf_tables table of family ${fam}: iptables-nft holds no ${v.family} rules` }
      : null;
  }
  const names = `/proc/net/${v.family === 'ipv4' ? 'ip' : 'ip6'}_tables_names`;
  const r = await ctx.target.readText(names, { maxBytes: 64 * 1024 });
  if (r.ok)
    return r.text.trim() === ''
      ? { path: names, note: `empty: iptables-legacy holds no ${v.family} table in this network namespace` }
      : null;
  return r.error === 'missing'
    ? {
        path: names,
        note: `missing: the ${v.family === 'ipv4' ? 'ip' : 'ip6'}_tables module is not loaded, so iptables-legacy holds no ${v.family} rules`,
      }
    : null;
}

/** iptables-save of each backend and family; `kernelKnown` is false when no variant could answer. */
async function liveIptables(
  ctx: CollectContext,
  facts: FirewallFacts,
  nft: NftAnswer,
): Promise<{ nftTables: Set<string>; kernelKnown: boolean }> {
  const nftTables = new Set<string>();
  const variants: { argv: string[]; backend: FwRuleset['backend']; family: FwFamily }[] = [
    { argv: ['iptables-nft-save'], backend: 'iptables-nft', family: 'ipv4' },
    { argv: ['ip6tables-nft-save'], backend: 'iptables-nft', family: 'ipv6' },
    { argv: ['iptables-legacy-save'], backend: 'iptables-legacy', family: 'ipv4' },
    { argv: ['ip6tables-legacy-save'], backend: 'iptables-legacy', family: 'ipv6' },
  ];
  let answered = false;
  for (const v of variants) {
    if (!(await hasBinary(ctx, v.argv[0]!))) continue;
    const empty = await variantEmpty(ctx, v, nft);
    if (empty) {
      facts.notes.push({ ...empty, note: `${v.argv[0]} not run: ${empty.note}` });
      answered = true;
      continue;
    }
    const r = await ctx.target.run(v.argv, { timeoutMs: ctx.commandTimeoutMs, maxBytes: 32 * 1024 * 1024 });
    if (!r.ok) {
      facts.problems.push({ message: `${r.command}: ${r.message}`, source: { command: r.command } });
      continue;
    }
    if (r.code !== 0) {
      facts.problems.push({
        message: `${r.command} exited with ${r.code}: ${r.stderr.trim().slice(0, 200)}`,
        source: { command: r.command },
      });
      continue;
    }
    answered = true;
    const parsed = parseIptablesSave(r.stdout, { command: r.command });
    for (const e of parsed.errors)
      facts.problems.push({ message: `${r.command}: ${e.message}`, source: { command: r.command, line: e.line } });
    facts.rulesets.push(...tablesToRulesets(parsed.tables, v.backend, v.family, { command: r.command }));
    if (v.backend === 'iptables-nft') for (const t of parsed.tables) nftTables.add(`${v.family === 'ipv4' ? 'ip' : 'ip6'} ${t.name}`);
    const d = dockerPublished(parsed.tables);
    if (d && v.family === 'ipv4') {
      const filter = parsed.tables.find((t) => t.name === 'filter');
      const du = filter?.chains.find((c) => c.name === 'DOCKER-USER');
      const prev = facts.docker?.published ?? [];
      facts.docker = {
        published: [...prev, ...d.published],
        dockerUserRules: du ? du.rules.filter((x) => x.action.kind !== 'return').length : 0,
        source: { command: r.command },
      };
    }
  }
  if (!answered && (await hasBinary(ctx, 'iptables-save'))) {
    for (const [cmd, family] of [
      ['iptables-save', 'ipv4'],
      ['ip6tables-save', 'ipv6'],
    ] as const) {
      const r = await ctx.target.run([cmd], { timeoutMs: ctx.commandTimeoutMs });
      if (!r.ok || r.code !== 0) {
        facts.problems.push({ message: `${cmd} failed: ${r.ok ? r.stderr.trim().slice(0, 200) : r.message}`, source: { command: cmd } });
        continue;
      }
      answered = true;
      const parsed = parseIptablesSave(r.stdout, { command: r.command });
      facts.rulesets.push(...tablesToRulesets(parsed.tables, 'iptables-nft', family, { command: r.command }));
    }
  }
  return { nftTables, kernelKnown: answered };
}

/** The nftables rulesets, less the tables iptables-nft manages; `nft -a` (rule lines) only when one is left. */
async function liveNft(ctx: CollectContext, facts: FirewallFacts, nft: NftAnswer, skip: Set<string>): Promise<void> {
  if (!nft) return;
  const own = (rs: FwRuleset) => !skip.has(rs.table);
  let parsed = parseNftJson(nft.stdout, nft.command);
  if (parsed.rulesets.some(own)) {
    const a = await ctx.target.run(['nft', '-a', 'list', 'ruleset'], { timeoutMs: ctx.commandTimeoutMs, maxBytes: 64 * 1024 * 1024 });
    if (a.ok && a.code === 0) parsed = parseNftJson(nft.stdout, nft.command, a.stdout);
  }
  for (const e of parsed.errors) facts.problems.push({ message: e, source: { command: nft.command } });
  // Tables iptables-nft manages are judged from iptables-save, which renders their xt matches.
  facts.rulesets.push(...parsed.rulesets.filter(own));
}

async function readUfw(ctx: CollectContext, facts: FirewallFacts, kernelKnown = false): Promise<void> {
  const conf = await readOpt(ctx, '/etc/ufw/ufw.conf', facts.problems);
  if (conf === null && !(await hasBinary(ctx, 'ufw'))) return;
  const kv = conf === null ? {} : parseUfwKeyValues(conf, '/etc/ufw/ufw.conf');
  const defText = await readOpt(ctx, '/etc/default/ufw', facts.problems);
  const def = defText === null ? {} : parseUfwKeyValues(defText, '/etc/default/ufw');
  const tuples = [];
  const ruleFiles: Record<FwFamily, { path: string; text: string }[]> = { ipv4: [], ipv6: [] };
  for (const [fam, t] of [
    ['ipv4', ''],
    ['ipv6', '6'],
  ] as const) {
    for (const kind of ['before', 'after', 'user']) {
      const path = `/etc/ufw/${kind}${t}.rules`;
      const text = await readOpt(ctx, path, facts.problems);
      if (text === null) continue;
      ruleFiles[fam].push({ path, text });
      if (kind === 'user') tuples.push(...parseUfwTuples(text, path, fam));
    }
  }
  const enabled = kv.ENABLED
    ? { value: kv.ENABLED.value.toLowerCase() === 'yes', source: kv.ENABLED.source }
    : { value: false, source: { path: '/etc/ufw/ufw.conf', note: 'no ENABLED= line (ufw default: no)' } };
  const flag = (k: string) => (def[k] ? { value: def[k].value, source: def[k].source } : null);
  const ufw: UfwFacts = {
    enabled,
    active: null,
    defaultInput: flag('DEFAULT_INPUT_POLICY'),
    defaultOutput: flag('DEFAULT_OUTPUT_POLICY'),
    ipv6: def.IPV6 ? { value: def.IPV6.value.toLowerCase() === 'yes', source: def.IPV6.source } : null,
    tuples,
  };
  facts.ufw = ufw;
  if (ctx.target.live) {
    // `ufw status` itself asks the kernel for the ufw-user-input chain: when the rulesets above
    // answered, their chains decide, without a second Python start.
    const chain = facts.rulesets.find((rs) => rs.chains.some((c) => c.name === 'ufw-user-input'));
    if (chain || kernelKnown) {
      const consulted = [
        ...new Set([...facts.rulesets.map((rs) => rs.source.command), ...facts.notes.map((n) => n.command)].filter(Boolean)),
      ].join(', ');
      ufw.active = {
        value: chain !== undefined,
        source: chain
          ? { command: chain.source.command ?? 'iptables-save', note: 'ufw-user-input chain present' }
          : { command: consulted || 'iptables-save', note: 'no ufw-user-input chain in the kernel ruleset (what ufw status looks for)' },
      };
      return;
    }
    const st = (await hasBinary(ctx, 'ufw'))
      ? await ctx.target.run(['ufw', 'status', 'verbose'], { timeoutMs: ctx.commandTimeoutMs })
      : null;
    const said = st?.ok && st.code === 0 ? /^Status: active/m.test(st.stdout) : null;
    ufw.active = {
      value: said === true,
      source: { command: 'ufw status verbose', excerpt: st?.ok ? (st.stdout.split('\n')[0] ?? '') : 'not run' },
    };
    return;
  }
  // Offline: what ufw-init would load at boot.
  const unit = await enabledAtBoot(ctx, 'ufw.service');
  if (!enabled.value) {
    facts.notes.push({ ...enabled.source, note: 'ufw is not enabled (ENABLED=no): ufw-init loads nothing at boot' });
    return;
  }
  if (!unit) {
    facts.notes.push({
      note: 'ufw.service is not enabled at boot (no /etc/systemd/system/multi-user.target.wants/ufw.service): ufw rules are not loaded',
    });
    return;
  }
  const input = ufw.defaultInput?.value ?? 'DROP';
  const output = ufw.defaultOutput?.value ?? 'ACCEPT';
  const src = ufw.defaultInput?.source ?? { path: '/etc/default/ufw', note: 'DEFAULT_INPUT_POLICY unset (ufw-init default DROP)' };
  for (const fam of ['ipv4', 'ipv6'] as const) {
    if (fam === 'ipv6' && ufw.ipv6 && !ufw.ipv6.value) {
      facts.rulesets.push(ufwIpv6Disabled(ufw.ipv6.source));
      continue;
    }
    const { ruleset, errors } = synthesizeUfwRuleset(fam, ruleFiles[fam], { input, output, source: src });
    facts.rulesets.push(ruleset);
    facts.problems.push(...errors);
  }
}

async function offlineFiles(ctx: CollectContext, facts: FirewallFacts): Promise<boolean> {
  let any = false;
  // iptables-persistent
  const np = await enabledAtBoot(ctx, 'netfilter-persistent.service');
  for (const [path, family] of [
    ['/etc/iptables/rules.v4', 'ipv4'],
    ['/etc/iptables/rules.v6', 'ipv6'],
  ] as const) {
    const text = await readOpt(ctx, path, facts.problems);
    if (text === null) continue;
    any = true;
    if (!np) {
      facts.notes.push({ path, note: 'netfilter-persistent.service is not enabled at boot: this file is not loaded' });
      continue;
    }
    const parsed = parseIptablesSave(text, { path });
    for (const e of parsed.errors) facts.problems.push({ message: `${path}: ${e.message}`, source: { path, line: e.line } });
    facts.rulesets.push(...tablesToRulesets(parsed.tables, 'iptables-persistent', family, { path }));
  }
  // nftables
  const conf = await readOpt(ctx, '/etc/nftables.conf', facts.problems);
  if (conf !== null) {
    any = true;
    const unit = await enabledAtBoot(ctx, 'nftables.service');
    if (!unit) facts.notes.push({ path: '/etc/nftables.conf', note: 'nftables.service is not enabled at boot: this file is not loaded' });
    else {
      const includes: Record<string, NftConfFile[]> = {};
      const pending = [conf];
      for (let n = 0; pending.length && n < 64; n++) {
        const text = pending.shift()!;
        for (const m of text.matchAll(/^\s*include\s+"([^"]+)"/gm)) {
          const pat = m[1]!;
          if (includes[pat]) continue;
          const paths = /[*?[]/.test(pat) ? await ctx.target.glob(pat) : [pat];
          const files: NftConfFile[] = [];
          for (const p of paths) {
            const r = await ctx.target.readText(p, { maxBytes: 4 * 1024 * 1024 });
            if (r.ok) {
              files.push({ path: p, text: r.text });
              pending.push(r.text);
            } else facts.problems.push({ message: r.message, source: { path: p } });
          }
          if (files.length || /[*?[]/.test(pat)) includes[pat] = files;
        }
      }
      const parsed = parseNftConf({ path: '/etc/nftables.conf', text: conf }, includes);
      facts.problems.push(...parsed.errors);
      facts.rulesets.push(...parsed.rulesets);
    }
  }
  return any;
}

export const firewallCollector = defineCollector({
  key: 'firewall',
  gathers: gathersOfAll(
    {
      files: [
        '/etc/ufw/ufw.conf',
        '/etc/default/ufw',
        ...['before', 'after', 'user', 'before6', 'after6', 'user6'].map((n) => `/etc/ufw/${n}.rules`),
        '/etc/iptables/rules.v4',
        '/etc/iptables/rules.v6',
        '/etc/nftables.conf',
      ],
      paths: ['ufw', 'iptables', 'nft'].flatMap((b) => SBIN.map((d) => `${d}/${b}`)),
    },
    unitGathers('ufw.service', 'netfilter-persistent.service', 'nftables.service'),
    {
      globs: ['multi-user', 'sysinit', 'network-pre'].flatMap((w) =>
        ['ufw', 'netfilter-persistent', 'nftables'].map((u) => ({
          pattern: `/etc/systemd/system/${w}.target.wants/${u}.service`,
          read: false,
        })),
      ),
    },
  ),
  async collect(ctx) {
    const t = ctx.target;
    const facts: FirewallFacts = { mode: t.live ? 'live' : 'offline', ufw: null, rulesets: [], docker: null, notes: [], problems: [] };
    const tools = { ufw: await hasBinary(ctx, 'ufw'), iptables: await hasBinary(ctx, 'iptables'), nft: await hasBinary(ctx, 'nft') };
    if (t.live) {
      const nft = await liveNftJson(ctx, facts);
      const { nftTables, kernelKnown } = await liveIptables(ctx, facts, nft);
      await liveNft(ctx, facts, nft, nftTables);
      await readUfw(ctx, facts, kernelKnown);
      if (!tools.ufw && !tools.iptables && !tools.nft)
        return absent('no firewall tool is installed (ufw, iptables, nft): nothing can filter or show the ruleset');
    } else {
      await readUfw(ctx, facts);
      const files = await offlineFiles(ctx, facts);
      if (!tools.ufw && !tools.iptables && !tools.nft && !files && !facts.ufw)
        return absent('no firewall is installed in this root (no ufw, iptables or nftables, no rules files)');
    }
    return collected(facts);
  },
});
