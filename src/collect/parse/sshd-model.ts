import type { Source } from '../../facts/evidence.js';
import type { SshdProblem, SshdSetting } from '../../facts/sshd.js';
import {
  listenHost,
  matchAddressList,
  matchPatternList,
  parseHostsNames,
  parseIp,
  parseMatchCriteria,
  parseServices,
  parseSshdConfig,
  sshdVis,
  type MatchCriterion,
} from './sshd-config.js';
import type { SshdDefaults } from './sshd-defaults.js';
import {
  AUTH_METHOD_KEYWORD,
  SSHD_ACCUMULATING,
  SSHD_ALIASES,
  SSHD_KEYWORDS_9_2,
  normalizeSshdValue,
  sshdValueProblem,
} from './sshd-keywords.js';

/** A configuration line with the Match block it belongs to (Include expanded in place). */
export interface SshdDirective {
  /** Canonical keyword, lower case (aliases resolved). */
  keyword: string;
  args: string[];
  path: string;
  line: number;
  text: string;
  /** Index into blocks; null outside any Match block. */
  block: number | null;
}

export interface SshdBlock {
  criteria: MatchCriterion[];
  path: string;
  line: number;
  text: string;
  /**
   * The block in effect where the file holding this one was Included, if any: sshd evaluates a
   * Match inside an included file only when that block matches (servconf.c: SSHCFG_NEVERMATCH).
   */
  parent: number | null;
}

export interface SshdModel {
  directives: SshdDirective[];
  blocks: SshdBlock[];
  files: string[];
  problems: SshdProblem[];
}

export interface SshdFileAccess {
  read(path: string): Promise<{ ok: true; text: string } | { ok: false; message: string; kind: 'unreadable' | 'syntax' }>;
  /** glob(3), lexically sorted. */
  glob(pattern: string): Promise<string[]>;
}

/** servconf.c: SERVCONF_MAX_DEPTH. */
const MAX_INCLUDE_DEPTH = 16;
/**
 * Files read in all (each Include of a file counts again): a file including itself three times is
 * 3^16 reads before the depth stops it; sshd parses its cached copies in C, a model must not try.
 */
const MAX_INCLUDED_FILES = 4096;
/** Relative Include paths are taken from SSHDIR (sshd_config(5), Include). */
const SSHDIR = '/etc/ssh';

/** Reads the main file and every Include, in sshd's order, into one list of directives. */
export async function loadSshdModel(mainPath: string, io: SshdFileAccess, defaults: SshdDefaults): Promise<SshdModel> {
  const model: SshdModel = { directives: [], blocks: [], files: [], problems: [] };
  const problem = (p: Omit<SshdProblem, 'keyword'> & { keyword?: string }) => model.problems.push({ ...p, keyword: p.keyword ?? null });

  // Port and Match LocalPort take service names (getservbyname: the target's /etc/services).
  let services: Map<string, number> | null = null;
  let hosts: Set<string> | null = null;
  const servicesFor = async (arg: string | undefined): Promise<Map<string, number> | null> => {
    if (services === null && arg !== undefined && !/^\s*[+-]?\d+$/.test(arg)) {
      const r = await io.read('/etc/services');
      services = r.ok ? parseServices(r.text) : new Map();
    }
    return services;
  };

  // sshd fatals on a too-deep Include ("Too many recursive configuration includes", servconf.c
  // parse_server_config_depth): the model records that error and reads on, to report the other
  // files too; past the budget of reads it stops (`fatal`), an error as well.
  let fatal = false;
  let reads = 0;
  async function loadFile(path: string, depth: number, inherited: number | null): Promise<void> {
    if (fatal) return;
    const r = await io.read(path);
    model.files.push(path);
    if (!r.ok) {
      problem({ path, line: null, severity: 'error', kind: r.kind, message: r.message });
      return;
    }
    const parsed = parseSshdConfig(r.text);
    for (const e of parsed.errors) problem({ path, line: e.line, severity: e.severity ?? 'error', kind: 'syntax', message: e.message });
    let block = inherited;
    for (const l of parsed.lines) {
      if (fatal) return;
      const lower = l.keyword.toLowerCase();
      const where = { path, line: l.line };
      if (lower === 'match') {
        const lp = l.args.findIndex((a) => a.toLowerCase() === 'localport');
        const c = parseMatchCriteria(l.args, await servicesFor(lp >= 0 ? l.args[lp + 1] : undefined));
        if (!c.ok) {
          problem({ ...where, severity: 'error', kind: 'syntax', keyword: 'match', message: `Bad Match condition: ${c.message}` });
          // sshd refuses the file; treat what follows as a block that never matches.
          model.blocks.push({
            criteria: [{ attribute: 'rdomain', patterns: '\u0000never' }],
            path,
            line: l.line,
            text: l.text,
            parent: inherited,
          });
        } else model.blocks.push({ criteria: c.criteria, path, line: l.line, text: l.text, parent: inherited });
        block = model.blocks.length - 1;
        continue;
      }
      if (lower === 'include') {
        for (const arg of l.args) {
          const pattern = arg.startsWith('/') || arg.startsWith('~') ? arg : `${SSHDIR}/${arg}`;
          if (depth + 1 > MAX_INCLUDE_DEPTH) {
            problem({
              ...where,
              severity: 'error',
              kind: 'include',
              keyword: 'include',
              message: `Include ${arg}: too many recursive configuration includes (an include loop?)`,
            });
            continue;
          }
          const paths = await io.glob(pattern);
          if (paths.length === 0)
            problem({ ...where, severity: 'warning', kind: 'include', keyword: 'include', message: `Include ${arg} matched no files` });
          for (const p of paths) {
            if (++reads > MAX_INCLUDED_FILES) {
              problem({
                ...where,
                severity: 'error',
                kind: 'include',
                keyword: 'include',
                message: `Include ${arg}: more than ${MAX_INCLUDED_FILES} included files in all (an include bomb?); not read further`,
              });
              fatal = true;
              return;
            }
            await loadFile(p, depth + 1, block);
            if (fatal) return;
          }
        }
        continue;
      }
      const kw = SSHD_KEYWORDS_9_2[lower];
      if (!kw) {
        problem({
          ...where,
          severity: 'error',
          kind: 'keyword',
          keyword: sshdVis(lower),
          message: `Bad configuration option: ${sshdVis(l.keyword)}`,
        });
        continue;
      }
      // sshd's global pass applies every keyword under an active block (Match all, not inside a
      // block that does not match): only under a block that is inactive there is it refused.
      if (block !== null && !kw.match && !activeInGlobalPass(model, block)) {
        problem({
          ...where,
          severity: 'error',
          kind: 'keyword',
          keyword: lower,
          message: `Directive '${l.keyword}' is not allowed within a Match block`,
        });
        continue;
      }
      if (kw.status === 'deprecated' || kw.status === 'unsupported') {
        problem({
          ...where,
          severity: 'warning',
          kind: 'obsolete',
          keyword: lower,
          message: `${kw.status === 'deprecated' ? 'Deprecated' : 'Unsupported'} option ${l.keyword} (ignored by sshd)`,
        });
        continue;
      }
      if (kw.status === 'ignored') {
        problem({
          ...where,
          severity: 'warning',
          kind: 'obsolete',
          keyword: lower,
          args: l.args,
          message: `${l.text}: obsolete since OpenSSH 7.4 (only protocol 2 exists), ignored`,
        });
        continue;
      }
      const keyword = SSHD_ALIASES[lower] ?? lower;
      const ports =
        keyword === 'port' ? l.args[0] : ['listenaddress', 'permitopen', 'permitlisten'].includes(keyword) ? 'a service name' : undefined;
      const bad = sshdValueProblem(keyword, l.args, defaults.supported, await servicesFor(ports));
      // servconf.c: "any" after a list the global configuration already set is fatal, in any block.
      const anyAfter =
        keyword === 'authenticationmethods' &&
        l.args.includes('any') &&
        model.directives.some(
          (d) => d.keyword === 'authenticationmethods' && (d.block === null || model.blocks[d.block]!.criteria[0]?.attribute === 'all'),
        );
      if (bad) problem({ ...where, severity: 'error', kind: 'syntax', keyword, message: `${l.keyword}: ${bad}` });
      else if (anyAfter)
        problem({
          ...where,
          severity: 'error',
          kind: 'syntax',
          keyword,
          message: `${l.keyword}: "any" must appear alone in AuthenticationMethods (a list is already set)`,
        });
      else if (keyword === 'listenaddress' && block === null) {
        // sshd resolves a name when it starts: offline only /etc/hosts can say, DNS cannot be asked.
        const host = listenHost(l.args[0]!);
        // inet_aton forms (32, 10.1, 0x7f.1) are addresses to getaddrinfo too.
        if (host !== '*' && !parseIp(host) && !/^(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)(\.(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)){0,3}$/i.test(host)) {
          if (hosts === null) {
            const r = await io.read('/etc/hosts');
            hosts = r.ok ? parseHostsNames(r.text) : new Set();
          }
          if (!hosts.has(host.toLowerCase()))
            problem({
              ...where,
              severity: 'error',
              kind: 'unreadable',
              keyword,
              message: `${l.keyword} ${host}: not an address and not in /etc/hosts: whether sshd can resolve it when it starts is not known`,
            });
        }
      }
      model.directives.push({ keyword, args: l.args, path, line: l.line, text: l.text, block });
    }
  }

  await loadFile(mainPath, 0, null);
  model.problems.push(...startupProblems(model, defaults));
  return model;
}

/**
 * What sshd checks after reading the files (sshd.c main, before it loads host keys), on the global
 * configuration: at least one AuthenticationMethods list must consist of enabled methods
 * (auth2_methods_valid(…, 1)); "AuthenticationMethods password" with PasswordAuthentication no is
 * refused — a list inside a Match block is not checked (verified with sshd 9.2 `sshd -t`).
 */
function startupProblems(model: SshdModel, defaults: SshdDefaults): SshdProblem[] {
  if (model.problems.some((p) => p.severity === 'error')) return [];
  const out: SshdProblem[] = [];
  const global = model.directives.filter((d) => d.block === null || activeInGlobalPass(model, d.block));
  const at = (d: SshdDirective, keyword: string, message: string): SshdProblem => ({
    path: d.path,
    line: d.line,
    severity: 'error',
    kind: 'syntax',
    keyword,
    message,
  });
  // servconf.c: a Subsystem name may be defined once; sshd.c: a keys/principals command needs its user.
  const subsystems = new Set<string>();
  for (const d of global.filter((x) => x.keyword === 'subsystem')) {
    if (subsystems.has(d.args[0]!)) out.push(at(d, 'subsystem', `Subsystem '${d.args[0]!}' already defined`));
    subsystems.add(d.args[0]!);
  }
  for (const [cmd, user, name] of [
    ['authorizedkeyscommand', 'authorizedkeyscommanduser', 'AuthorizedKeysCommand'],
    ['authorizedprincipalscommand', 'authorizedprincipalscommanduser', 'AuthorizedPrincipalsCommand'],
  ] as const) {
    const c = global.find((x) => x.keyword === cmd);
    if (c && c.args[0]!.toLowerCase() !== 'none' && !global.some((x) => x.keyword === user))
      out.push(at(c, cmd, `${name} set without ${name}User`));
  }
  if (out.length) return out;
  const g = effectiveSshd(model, NO_CONNECTION, { users: [], groups: [] }, defaults);
  const am = g.authenticationmethods;
  const lists = (am?.value ?? 'any').split(' ').filter(Boolean);
  if (lists.length === 0 || lists.includes('any')) return [];
  const enabled = (method: string) => {
    const name = method.split(':')[0]!;
    if (name === 'none') return true;
    const kw = AUTH_METHOD_KEYWORD[name];
    return kw !== undefined && g[kw]?.value === 'yes';
  };
  if (lists.some((l) => l.split(',').every(enabled))) return [];
  const disabled = [...new Set(lists.flatMap((l) => l.split(',').filter((m) => !enabled(m))))];
  const src = am!.source;
  return [
    {
      path: src.path ?? model.files[0] ?? '',
      line: src.line ?? null,
      severity: 'error',
      kind: 'syntax',
      keyword: 'authenticationmethods',
      message: `AuthenticationMethods cannot be satisfied by enabled authentication methods (disabled: ${disabled.map((m) => `"${m}" (${AUTH_METHOD_KEYWORD[m.split(':')[0]!] ?? 'unknown'} is not yes)`).join(', ')})`,
    },
  ];
}

/** The connection a Match block is judged for; null fields are unknown (they match nothing). */
export interface MatchInput {
  user: string | null;
  host: string | null;
  addr: string | null;
  laddr: string | null;
  lport: number | null;
  rdomain: string | null;
}

/** The block and the blocks it was Included from, innermost first. */
export function blockChain(model: SshdModel, index: number): number[] {
  const out: number[] = [];
  for (let i: number | null = index; i !== null && !out.includes(i); i = model.blocks[i]!.parent) out.push(i);
  return out;
}

/** In the global pass (no connection) only `Match all` is active, and only where its parents are. */
export function activeInGlobalPass(model: SshdModel, index: number): boolean {
  return blockChain(model, index).every((i) => model.blocks[i]!.criteria[0]?.attribute === 'all');
}

/** Plain account data for Match Group: users (name, primary gid) and groups (name, gid, members). */
export interface GroupLookup {
  users: { name: string; gid: number }[];
  groups: { name: string; gid: number; members: string[] }[];
}

export const NO_CONNECTION: MatchInput = { user: null, host: null, addr: null, laddr: null, lport: null, rdomain: null };

function groupsOf(user: string, lookup: GroupLookup): string[] | null {
  const u = lookup.users.find((x) => x.name === user);
  if (!u) return null;
  return lookup.groups.filter((g) => g.gid === u.gid || g.members.includes(user)).map((g) => g.name);
}

/** servconf.c match_cfg_line: every criterion must match. */
export function blockMatches(block: SshdBlock, c: MatchInput, lookup: GroupLookup): boolean {
  for (const { attribute, patterns } of block.criteria) {
    switch (attribute) {
      case 'all':
        break;
      case 'user':
        if (c.user === null || matchPatternList(c.user, patterns) !== 1) return false;
        break;
      case 'group': {
        const gs = c.user === null ? null : groupsOf(c.user, lookup);
        if (!gs) return false;
        const r = gs.map((g) => matchPatternList(g, patterns));
        if (r.includes(-1) || !r.includes(1)) return false;
        break;
      }
      case 'host':
        if (c.host === null || matchPatternList(c.host, patterns, true) !== 1) return false;
        break;
      case 'address':
        if (c.addr === null || matchAddressList(c.addr, patterns) !== 1) return false;
        break;
      case 'localaddress':
        if (c.laddr === null || matchAddressList(c.laddr, patterns) !== 1) return false;
        break;
      case 'localport':
        // a2port: one port, no list ("TODO support port lists" in servconf.c).
        if (c.lport === null || !/^\d+$/.test(patterns) || Number(patterns) !== c.lport) return false;
        break;
      case 'rdomain':
        if (c.rdomain === null || matchPatternList(c.rdomain, patterns) !== 1) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function normalize(keyword: string, lines: SshdDirective[], defaults: SshdDefaults): string {
  const first = lines[0]!;
  if (SSHD_ACCUMULATING.has(keyword)) return lines.flatMap((l) => l.args).join(' ');
  return normalizeSshdValue(keyword, first.args, defaults);
}

function blockOf(lines: SshdDirective[], model: SshdModel): SshdSetting['block'] {
  const first = lines[0]!;
  if (first.block === null) return undefined;
  const b = model.blocks[first.block]!;
  return { text: b.text, path: b.path, line: b.line };
}

function sourceOf(lines: SshdDirective[], model: SshdModel): Source {
  const first = lines[0]!;
  const notes: string[] = [];
  if (first.block !== null) {
    const b = model.blocks[first.block]!;
    notes.push(`in "${b.text}" (${b.path}:${b.line})`);
  }
  if (lines.length > 1)
    notes.push(
      `and ${lines.length - 1} more line(s): ${lines
        .slice(1)
        .map((l) => `${l.path}:${l.line}`)
        .join(', ')}`,
    );
  return { path: first.path, line: first.line, excerpt: first.text, ...(notes.length ? { note: notes.join('; ') } : {}) };
}

/**
 * The effective configuration for one connection, as `sshd -T [-C …]` computes it: a global pass
 * (first value wins; `Match all` is active there, so every keyword under it counts), then a pass over
 * the Match blocks that match — a block in an Included file only where the block it was Included
 * from matches — whose values of Match-able keywords replace the global ones (servconf.c
 * parse_server_match_config / copy_set_server_options). `force` judges a block as if it matched
 * (a block no connection can reach today).
 */
export function effectiveSshd(
  model: SshdModel,
  c: MatchInput,
  lookup: GroupLookup,
  defaults: SshdDefaults,
  force: number | null = null,
): Record<string, SshdSetting> {
  const m = prepared(model, defaults);
  const picked: number[] = [];
  for (const [i, ok] of matchingBlocks(model, c, lookup, force).entries()) if (ok) picked.push(...m.matchable[i]!);
  if (picked.length === 0) return m.globalOut;
  picked.sort((x, y) => x - y);
  const out: Record<string, SshdSetting> = { ...m.globalOut };
  let added = false;
  for (const [k, idx] of firstWins(model, picked)) {
    added ||= !(k in out);
    out[k] = m.setting(k, idx);
  }
  return added ? sortedKeys(out) : out;
}

/**
 * Which blocks match the connection: its own criteria and, for a block in an Included file, the
 * block it was Included from (a parent always comes before the blocks of the file it Includes, so
 * one pass settles the chains). `force` counts a block and its parents as matching.
 */
export function matchingBlocks(model: SshdModel, c: MatchInput, lookup: GroupLookup, force: number | null = null): boolean[] {
  const forced = new Set(force === null ? [] : blockChain(model, force));
  const out: boolean[] = [];
  for (const [i, b] of model.blocks.entries())
    out.push((forced.has(i) || blockMatches(b, c, lookup)) && (b.parent === null || out[b.parent] === true));
  return out;
}

/** Directive indices (in file order) grouped by keyword: the first line wins, accumulating keywords keep every line. */
function firstWins(model: SshdModel, indices: Iterable<number>): Map<string, number[]> {
  const by = new Map<string, number[]>();
  for (const i of indices) {
    const k = model.directives[i]!.keyword;
    const list = by.get(k);
    if (!list) by.set(k, [i]);
    else if (SSHD_ACCUMULATING.has(k)) list.push(i);
  }
  return by;
}

function sortedKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

interface Prepared {
  defaults: SshdDefaults;
  /** Per block: the indices of its directives a Match pass may copy (Match-able keywords). */
  matchable: number[][];
  /** Defaults overlaid with the global pass. */
  globalOut: Record<string, SshdSetting>;
  setting(keyword: string, indices: number[]): SshdSetting;
}

const PREPARED = new WeakMap<SshdModel, Prepared>();

/** What does not depend on the connection, computed once per model (hundreds of contexts reuse it). */
function prepared(model: SshdModel, defaults: SshdDefaults): Prepared {
  const hit = PREPARED.get(model);
  if (hit && hit.defaults === defaults) return hit;
  const globalActive = model.blocks.map((_, i) => activeInGlobalPass(model, i));
  const cache = new Map<string, SshdSetting>();
  const setting = (keyword: string, indices: number[]): SshdSetting => {
    const key = `${keyword} ${indices.join(',')}`;
    const got = cache.get(key);
    if (got) return got;
    const lines = indices.map((i) => model.directives[i]!);
    const block = blockOf(lines, model);
    const s: SshdSetting = {
      value: normalize(keyword, lines, defaults),
      source: sourceOf(lines, model),
      ...(block && !globalActive[lines[0]!.block!] ? { block } : {}),
    };
    cache.set(key, s);
    return s;
  };
  const matchable: number[][] = model.blocks.map(() => []);
  const global: number[] = [];
  for (const [i, d] of model.directives.entries()) {
    if (d.block !== null && (SSHD_KEYWORDS_9_2[d.keyword]?.match ?? true)) matchable[d.block]!.push(i);
    if (d.block === null || globalActive[d.block]) global.push(i);
  }
  const out: Record<string, SshdSetting> = {};
  for (const [k, v] of Object.entries(defaults.values)) out[k] = { value: v, source: { note: defaults.note } };
  for (const [k, idx] of firstWins(model, global)) out[k] = setting(k, idx);
  // Shared by every connection no block matches: read-only.
  const globalOut = Object.freeze(sortedKeys(out));
  const p: Prepared = { defaults, matchable, globalOut, setting };
  PREPARED.set(model, p);
  return p;
}

/** Ports sshd listens on: ListenAddress host:port, else every Port (default 22). */
export function listenPorts(effective: Record<string, SshdSetting>): number[] {
  const ports = (effective.port?.value ?? '22')
    .split(' ')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0 && n < 65536);
  const listen = effective.listenaddress?.value.split(' ').filter((x) => x !== '' && x !== 'rdomain') ?? [];
  if (listen.length === 0) return [...new Set(ports)].sort((a, b) => a - b);
  const out = new Set<number>();
  for (const l of listen) {
    const m = /^\[.*\]:(\d+)$/.exec(l) ?? /^[^:]*:(\d+)$/.exec(l);
    if (m) out.add(Number(m[1]));
    else for (const p of ports) out.add(p);
  }
  return [...out].sort((a, b) => a - b);
}
