import type { Source } from '../../facts/evidence.js';
import type { SshdProblem, SshdSetting } from '../../facts/sshd.js';
import {
  convtime, matchAddressList, matchPatternList, parseMatchCriteria, parseSshdConfig, type MatchCriterion,
} from './sshd-config.js';
import type { SshdDefaults } from './sshd-defaults.js';
import { SSHD_ACCUMULATING, SSHD_ALIASES, SSHD_KEYWORDS_9_2 } from './sshd-keywords.js';

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
/** Relative Include paths are taken from SSHDIR (sshd_config(5), Include). */
const SSHDIR = '/etc/ssh';

const FLAG_VALUES = new Set(['yes', 'no']);
const ROOT_LOGIN_VALUES = new Set(['yes', 'no', 'prohibit-password', 'without-password', 'forced-commands-only']);
const INT_KEYWORDS = new Set(['maxauthtries', 'clientalivecountmax', 'maxsessions', 'x11displayoffset', 'requiredrsasize']);
const TIME_KEYWORDS = new Set(['logingracetime', 'clientaliveinterval']);
const ALGORITHM_KEYWORDS = new Set(['ciphers', 'macs', 'kexalgorithms']);

function isFlag(keyword: string, defaults: SshdDefaults): boolean {
  const d = defaults.values[keyword];
  return d === 'yes' || d === 'no';
}

/** Reads the main file and every Include, in sshd's order, into one list of directives. */
export async function loadSshdModel(mainPath: string, io: SshdFileAccess, defaults: SshdDefaults): Promise<SshdModel> {
  const model: SshdModel = { directives: [], blocks: [], files: [], problems: [] };
  const problem = (p: Omit<SshdProblem, 'keyword'> & { keyword?: string }) => model.problems.push({ ...p, keyword: p.keyword ?? null });

  async function loadFile(path: string, depth: number, inherited: number | null): Promise<void> {
    const r = await io.read(path);
    model.files.push(path);
    if (!r.ok) {
      problem({ path, line: null, severity: 'error', kind: r.kind, message: r.message });
      return;
    }
    const parsed = parseSshdConfig(r.text);
    for (const e of parsed.errors) problem({ path, line: e.line, severity: 'error', kind: 'syntax', message: e.message });
    let block = inherited;
    for (const l of parsed.lines) {
      const lower = l.keyword.toLowerCase();
      const where = { path, line: l.line };
      if (lower === 'match') {
        const c = parseMatchCriteria(l.args);
        if (!c.ok) {
          problem({ ...where, severity: 'error', kind: 'syntax', keyword: 'match', message: `Bad Match condition: ${c.message}` });
          // sshd refuses the file; treat what follows as a block that never matches.
          model.blocks.push({ criteria: [{ attribute: 'rdomain', patterns: '\u0000never' }], path, line: l.line, text: l.text, parent: inherited });
        } else model.blocks.push({ criteria: c.criteria, path, line: l.line, text: l.text, parent: inherited });
        block = model.blocks.length - 1;
        continue;
      }
      if (lower === 'include') {
        for (const arg of l.args) {
          const pattern = arg.startsWith('/') || arg.startsWith('~') ? arg : `${SSHDIR}/${arg}`;
          if (depth + 1 > MAX_INCLUDE_DEPTH) {
            problem({ ...where, severity: 'error', kind: 'include', keyword: 'include', message: `Include ${arg}: too many recursive configuration includes (an include loop?)` });
            continue;
          }
          const paths = await io.glob(pattern);
          if (paths.length === 0) problem({ ...where, severity: 'warning', kind: 'include', keyword: 'include', message: `Include ${arg} matched no files` });
          for (const p of paths) await loadFile(p, depth + 1, block);
        }
        continue;
      }
      const kw = SSHD_KEYWORDS_9_2[lower];
      if (!kw) {
        problem({ ...where, severity: 'error', kind: 'keyword', keyword: lower, message: `Bad configuration option: ${l.keyword}` });
        continue;
      }
      // sshd's global pass applies every keyword under an active block (Match all, not inside a
      // block that does not match): only under a block that is inactive there is it refused.
      if (block !== null && !kw.match && !activeInGlobalPass(model, block)) {
        problem({ ...where, severity: 'error', kind: 'keyword', keyword: lower, message: `Directive '${l.keyword}' is not allowed within a Match block` });
        continue;
      }
      if (kw.status === 'deprecated' || kw.status === 'unsupported') {
        problem({ ...where, severity: 'warning', kind: 'obsolete', keyword: lower, message: `${kw.status === 'deprecated' ? 'Deprecated' : 'Unsupported'} option ${l.keyword} (ignored by sshd)` });
        continue;
      }
      if (kw.status === 'ignored') {
        problem({ ...where, severity: 'warning', kind: 'obsolete', keyword: lower, message: `${l.text}: obsolete since OpenSSH 7.4 (only protocol 2 exists), ignored` });
        continue;
      }
      const keyword = SSHD_ALIASES[lower] ?? lower;
      const bad = valueProblem(keyword, l.args, defaults);
      if (bad) problem({ ...where, severity: 'error', kind: 'syntax', keyword, message: `${l.keyword}: ${bad}` });
      model.directives.push({ keyword, args: l.args, path, line: l.line, text: l.text, block });
    }
  }

  await loadFile(mainPath, 0, null);
  return model;
}

function valueProblem(keyword: string, args: readonly string[], defaults: SshdDefaults): string | null {
  const v = args[0]!.toLowerCase();
  const single = isFlag(keyword, defaults) || keyword === 'permitrootlogin' || INT_KEYWORDS.has(keyword) || TIME_KEYWORDS.has(keyword);
  if (single && args.length > 1) return 'extra arguments at end of line';
  if (keyword === 'permitrootlogin') return ROOT_LOGIN_VALUES.has(v) ? null : `unsupported value "${args[0]!}"`;
  if (isFlag(keyword, defaults) && !FLAG_VALUES.has(v)) return `unsupported value "${args[0]!}" (expected yes or no)`;
  if (INT_KEYWORDS.has(keyword) && !/^\d+$/.test(v)) return `"${args[0]!}" is not a number`;
  if (TIME_KEYWORDS.has(keyword) && convtime(v) === null) return `"${args[0]!}" is not a time`;
  return null;
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

function assembleAlgorithms(spec: string, def: readonly string[], all: readonly string[]): string {
  const expand = (list: string) => list.split(',').flatMap((p) => (/[*?]/.test(p) ? all.filter((a) => matchPatternList(a, p) === 1) : [p]));
  if (spec.startsWith('+')) return [...def, ...expand(spec.slice(1)).filter((a) => !def.includes(a))].join(',');
  if (spec.startsWith('-')) return def.filter((a) => matchPatternList(a, spec.slice(1)) !== 1).join(',');
  if (spec.startsWith('^')) {
    const head = expand(spec.slice(1));
    return [...head, ...def.filter((a) => !head.includes(a))].join(',');
  }
  return spec;
}

function normalize(keyword: string, lines: SshdDirective[], defaults: SshdDefaults): string {
  const first = lines[0]!;
  const a0 = first.args[0]!;
  if (SSHD_ACCUMULATING.has(keyword)) return lines.flatMap((l) => l.args).join(' ');
  if (keyword === 'permitrootlogin') {
    const v = a0.toLowerCase();
    return v === 'prohibit-password' ? 'without-password' : v;
  }
  if (isFlag(keyword, defaults)) return a0.toLowerCase();
  if (TIME_KEYWORDS.has(keyword)) return String(convtime(a0) ?? a0);
  if (ALGORITHM_KEYWORDS.has(keyword)) {
    const k = keyword as 'ciphers' | 'macs' | 'kexalgorithms';
    return assembleAlgorithms(a0, (defaults.values[k] ?? '').split(','), defaults.supported[k]);
  }
  return first.args.join(' ');
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
  if (lines.length > 1) notes.push(`and ${lines.length - 1} more line(s): ${lines.slice(1).map((l) => `${l.path}:${l.line}`).join(', ')}`);
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
export function effectiveSshd(model: SshdModel, c: MatchInput, lookup: GroupLookup, defaults: SshdDefaults, force: number | null = null): Record<string, SshdSetting> {
  const m = prepared(model, defaults);
  const forced = new Set(force === null ? [] : blockChain(model, force));
  // A parent block always comes before the blocks of the file it Includes: one pass settles the chains.
  const matches: boolean[] = [];
  for (const [i, b] of model.blocks.entries()) matches.push((forced.has(i) || blockMatches(b, c, lookup)) && (b.parent === null || matches[b.parent] === true));
  const picked: number[] = [];
  for (const [i, ok] of matches.entries()) if (ok) picked.push(...m.matchable[i]!);
  picked.sort((x, y) => x - y);
  const matchPass = new Map<string, number[]>();
  for (const i of picked) {
    const d = model.directives[i]!;
    const list = matchPass.get(d.keyword);
    if (!list) matchPass.set(d.keyword, [i]);
    else if (SSHD_ACCUMULATING.has(d.keyword)) list.push(i);
  }
  const out: Record<string, SshdSetting> = { ...m.globalOut };
  for (const [k, idx] of matchPass) out[k] = m.setting(k, idx);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
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
    const s: SshdSetting = { value: normalize(keyword, lines, defaults), source: sourceOf(lines, model), ...(block && !globalActive[lines[0]!.block!] ? { block } : {}) };
    cache.set(key, s);
    return s;
  };
  const matchable: number[][] = model.blocks.map(() => []);
  const globalPass = new Map<string, number[]>();
  for (const [i, d] of model.directives.entries()) {
    if (d.block !== null && (SSHD_KEYWORDS_9_2[d.keyword]?.match ?? true)) matchable[d.block]!.push(i);
    if (d.block !== null && !globalActive[d.block]) continue;
    const list = globalPass.get(d.keyword);
    if (!list) globalPass.set(d.keyword, [i]);
    else if (SSHD_ACCUMULATING.has(d.keyword)) list.push(i);
  }
  const globalOut: Record<string, SshdSetting> = {};
  for (const [k, v] of Object.entries(defaults.values)) globalOut[k] = { value: v, source: { note: defaults.note } };
  for (const [k, idx] of globalPass) globalOut[k] = setting(k, idx);
  const p: Prepared = { defaults, matchable, globalOut, setting };
  PREPARED.set(model, p);
  return p;
}

/** Ports sshd listens on: ListenAddress host:port, else every Port (default 22). */
export function listenPorts(effective: Record<string, SshdSetting>): number[] {
  const ports = (effective.port?.value ?? '22').split(' ').map(Number).filter((n) => Number.isInteger(n) && n > 0 && n < 65536);
  const listen = effective.listenaddress?.value.split(' ').filter((x) => x !== '' && x !== 'rdomain') ?? [];
  if (listen.length === 0) return [...new Set(ports)].sort((a, b) => a - b);
  const out = new Set<number>();
  for (const l of listen) {
    const m = /^\[.*\]:(\d+)$/.exec(l) ?? (/^[^:]*:(\d+)$/.exec(l));
    if (m) out.add(Number(m[1]));
    else for (const p of ports) out.add(p);
  }
  return [...out].sort((a, b) => a - b);
}
