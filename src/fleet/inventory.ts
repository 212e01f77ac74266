// Ansible inventories (INI and YAML) read the way ansible-core 2.14 reads them: groups, children,
// host ranges, host:port, group and host vars (in the file and in group_vars/ host_vars/ beside it),
// `all`/`ungrouped`, variable precedence, and `--limit` patterns. The reference is ansible-core's own
// code (plugins/inventory/ini.py, yaml.py, inventory/data.py, group.py, manager.py, vars/manager.py);
// test/fleet/inventory-agree.test.ts compares this module with it on generated inventories.
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { literalEval } from '../util/py-literal.js';

export interface InventoryError {
  file: string;
  line: number | null;
  message: string;
}
export type InventoryResult<T> = { ok: true; value: T } | { ok: false; error: InventoryError };

export interface VarValue {
  value: unknown;
  /** `file:line` (or `file` for a group_vars/host_vars file) that set it. */
  source: string;
}
type Vars = Map<string, VarValue>;

export interface InventoryGroup {
  name: string;
  hosts: string[];
  children: string[];
  parents: string[];
  vars: Vars;
  priority: number;
  depth: number;
}
export interface InventoryHost {
  name: string;
  vars: Vars;
}

/** What a vars file beside the inventory gave (group_vars/NAME, host_vars/NAME): already parsed. */
export interface VarsFiles {
  groups: Map<string, Vars>;
  hosts: Map<string, Vars>;
}

class InvError extends Error {
  constructor(
    readonly line: number | null,
    message: string,
  ) {
    super(message);
  }
}

export class Inventory {
  readonly groups = new Map<string, InventoryGroup>();
  readonly hosts = new Map<string, InventoryHost>();
  varsFiles: VarsFiles = { groups: new Map(), hosts: new Map() };
  /** The groups each host is directly in (kept with the groups' host lists). */
  private readonly direct = new Map<string, Set<string>>();

  constructor(readonly file: string) {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  addGroup(name: string): void {
    if (name === '') throw new InvError(null, 'empty group name');
    if (!this.groups.has(name))
      this.groups.set(name, { name, hosts: [], children: [], parents: [], vars: new Map(), priority: 1, depth: 0 });
  }

  addHost(name: string, group: string, port: number | null, source: string): void {
    if (name === '') throw new InvError(null, 'empty host name');
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, vars: new Map() };
      // inventory/host.py: the port of the first definition only, and 0 is no port.
      if (port) h.vars.set('ansible_port', { value: port, source });
      this.hosts.set(name, h);
    }
    const g = this.groups.get(group);
    if (!g) throw new InvError(null, `could not find group ${group} in inventory`);
    this.join(g, name);
  }

  private join(g: InventoryGroup, host: string): void {
    let d = this.direct.get(host);
    if (!d) this.direct.set(host, (d = new Set()));
    if (!d.has(g.name)) {
      d.add(g.name);
      g.hosts.push(host);
    }
  }

  setVar(entity: string, key: string, value: unknown, source: string): void {
    const g = this.groups.get(entity);
    if (g) {
      if (key === 'ansible_group_priority') {
        const n = pyInt(value);
        if (n === null) throw new InvError(null, `ansible_group_priority must be an integer, got ${JSON.stringify(value)}`);
        g.priority = n;
      } else g.vars.set(key, { value, source });
      return;
    }
    const h = this.hosts.get(entity);
    if (!h) throw new InvError(null, `could not identify group or host named ${entity}`);
    h.vars.set(key, { value, source });
  }

  addChild(parent: string, child: string): void {
    const p = this.groups.get(parent);
    if (!p) throw new InvError(null, `${parent} is not a known group`);
    const c = this.groups.get(child);
    if (c) {
      if (c === p) throw new InvError(null, `can't add group ${child} to itself`);
      if (p.children.includes(child)) return;
      if (this.ancestors(parent).has(child))
        throw new InvError(null, `adding group '${child}' as child to '${parent}' creates a recursive dependency loop`);
      p.children.push(child);
      if (!c.parents.includes(parent)) c.parents.push(parent);
      return;
    }
    if (this.hosts.has(child)) {
      this.join(p, child);
      return;
    }
    throw new InvError(null, `${child} is not a known host nor group`);
  }

  ancestors(group: string): Set<string> {
    const seen = new Set<string>();
    const todo = [...(this.groups.get(group)?.parents ?? [])];
    while (todo.length > 0) {
      const g = todo.pop() as string;
      if (seen.has(g)) continue;
      seen.add(g);
      todo.push(...(this.groups.get(g)?.parents ?? []));
    }
    return seen;
  }

  /** inventory/data.py reconcile_inventory: orphan groups under `all`, `ungrouped` membership, depths. */
  reconcile(): void {
    for (const g of this.groups.values()) if (g.name !== 'all' && g.parents.length === 0) this.addChild('all', g.name);
    const ungrouped = this.groups.get('ungrouped') as InventoryGroup;
    for (const h of this.hosts.keys()) {
      const mine = this.groupsOf(h);
      if (mine.has('ungrouped')) {
        if ([...mine].some((g) => g !== 'all' && g !== 'ungrouped')) {
          ungrouped.hosts = ungrouped.hosts.filter((x) => x !== h);
          this.direct.get(h)?.delete('ungrouped');
        }
      } else if (mine.size === 0 || (mine.size === 1 && mine.has('all'))) this.addChild('ungrouped', h);
    }
    // group.py: a child's depth is max(parent depth + 1): the longest path from `all`.
    const depth = (name: string, stack: Set<string>): number => {
      const g = this.groups.get(name) as InventoryGroup;
      if (name === 'all' || stack.has(name)) return 0;
      stack.add(name);
      const d = g.parents.length === 0 ? 0 : Math.max(...g.parents.map((p) => depth(p, stack) + 1));
      stack.delete(name);
      return d;
    };
    for (const g of this.groups.values()) g.depth = depth(g.name, new Set());
  }

  /** Every group that holds the host, directly or through children (with `all`). */
  groupsOf(host: string): Set<string> {
    const out = new Set<string>();
    for (const g of this.direct.get(host) ?? []) {
      out.add(g);
      for (const a of this.ancestors(g)) out.add(a);
    }
    return out;
  }

  /** group.py get_hosts: the group and its descendants breadth first, each host once. */
  hostsOf(group: string): string[] {
    const g = this.groups.get(group);
    if (!g) return [];
    const order: InventoryGroup[] = [g];
    const seenGroups = new Set([g.name]);
    for (let i = 0; i < order.length; i++) {
      for (const c of (order[i] as InventoryGroup).children) {
        if (!seenGroups.has(c)) {
          seenGroups.add(c);
          order.push(this.groups.get(c) as InventoryGroup);
        }
      }
    }
    const out: string[] = [];
    const seen = new Set<string>();
    for (const x of order)
      for (const h of x.hosts)
        if (!seen.has(h)) {
          seen.add(h);
          out.push(h);
        }
    return out;
  }

  /**
   * The host's variables as `ansible-inventory --list` shows them (vars/manager.py get_vars, the
   * default VARIABLE_PRECEDENCE, hash_behaviour replace): `all` vars, the host's groups sorted by
   * (depth, priority, name), group_vars/all, group_vars/GROUP in the same order, the host's own vars,
   * host_vars/HOST.
   */
  hostVars(host: string): Vars {
    const out: Vars = new Map();
    const put = (v: Vars | undefined) => {
      if (v) for (const [k, x] of v) out.set(k, x);
    };
    const groups = [...this.groupsOf(host)]
      .filter((g) => g !== 'all')
      .map((g) => this.groups.get(g) as InventoryGroup)
      .sort((a, b) => a.depth - b.depth || a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    put(this.groups.get('all')?.vars);
    for (const g of groups) put(g.vars);
    put(this.varsFiles.groups.get('all'));
    for (const g of groups) put(this.varsFiles.groups.get(g.name));
    put(this.hosts.get(host)?.vars);
    put(this.varsFiles.hosts.get(host));
    return out;
  }
}

function pyInt(v: unknown): number | null {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v === 'string' && /^\s*[+-]?\d+(_\d+)*\s*$/.test(v)) return parseInt(v.replace(/_/g, ''), 10);
  return null;
}

// ---- host patterns and ranges (parsing/utils/addresses.py, plugins/inventory/__init__.py)

const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const I6 = `(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const I4 = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
const LABEL = String.raw`(?:[\p{L}\p{N}_]|${ALNUM_RANGE})(?:[\p{L}\p{N}_-]|${ALNUM_RANGE})*(?<![_-])`;
const ADDRESS = {
  bracketedHostport: /^\[(.+)\]:([0-9]+)$/u,
  hostport: /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/u,
  ipv4: new RegExp(`^(?:${I4}\\.){3}${I4}$`, 'iu'),
  ipv6: new RegExp(
    `^(?:(?:${I6}:){7}${I6}|(?:${I6}:){1,6}:|(?:${I6}:)(?::${I6}){1,6}|(?:${I6}:){2}(?::${I6}){1,5}|(?:${I6}:){3}(?::${I6}){1,4}|(?:${I6}:){4}(?::${I6}){1,3}|(?:${I6}:){5}(?::${I6}){1,2}|(?:${I6}:){6}(?::${I6})|:(?::${I6}){1,6}|${I6}?::|(?:0:){6}(?:${I6}\\.){3}${I6}|::(?:ffff:)?(?:${I6}\\.){3}${I6}|(?:0:){5}ffff:(?:${I6}\\.){3}${I6})$`,
    'iu',
  ),
  hostname: new RegExp(`^${LABEL}(?:\\.${LABEL})*$`, 'iu'),
};

/** addresses.py parse_address: (host, port) or null when it is not a host identifier. */
export function parseAddress(address: string): { host: string; port: number | null } | null {
  let port: number | null = null;
  let a = address;
  for (const re of [ADDRESS.bracketedHostport, ADDRESS.hostport]) {
    const m = re.exec(a);
    if (m) {
      a = m[1] as string;
      port = parseInt(m[2] as string, 10);
    }
  }
  if (ADDRESS.ipv4.test(a) || ADDRESS.ipv6.test(a) || ADDRESS.hostname.test(a)) return { host: a, port };
  return null;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** expand_hostname_range: `web[01:03]` → web01 web02 web03, `db-[a:c]`, steps `[1:9:2]`, several ranges. */
export function expandHostRange(name: string): string[] {
  if (!name.includes('[')) return [name];
  const parts = name.replace('[', '|').replace(']', '|').split('|');
  if (parts.length !== 3) throw new InvError(null, `bad host range in "${name}"`);
  const [head, nrange, tail] = parts as [string, string, string];
  const bounds = nrange.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new InvError(null, 'host range must be begin:end or begin:end:step');
  const beg = bounds[0] || '0';
  const end = bounds[1] as string;
  const stepText = bounds[2] ?? '1';
  if (!end) throw new InvError(null, 'host range must specify end value');
  let fill = (x: number | string) => String(x);
  if (beg[0] === '0' && beg.length > 1) {
    if (beg.length !== end.length) throw new InvError(null, 'host range must specify equal-length begin and end formats');
    fill = (x) => String(x).padStart(beg.length, '0');
  }
  const step = pyIntStrict(stepText);
  if (step === null || step === 0) throw new InvError(null, `bad host range step "${stepText}" in "${name}"`);
  let seq: (string | number)[] = [];
  const ib = beg.length === 1 ? LETTERS.indexOf(beg) : -1;
  const ie = end.length === 1 ? LETTERS.indexOf(end) : -1;
  if (ib >= 0 && ie >= 0) {
    if (ib > ie) throw new InvError(null, 'host range must have begin <= end');
    // Python slicing with a negative step from a lower begin is empty.
    if (step > 0) for (let i = ib; i <= ie; i += step) seq.push(LETTERS[i] as string);
  } else {
    const b = pyIntStrict(beg);
    const e = pyIntStrict(end);
    if (b === null || e === null) throw new InvError(null, `bad host range "[${nrange}]" in "${name}"`);
    seq = [];
    if (step > 0) for (let i = b; i < e + 1; i += step) seq.push(i);
    else for (let i = b; i > e + 1; i += step) seq.push(i);
  }
  if (seq.length > 100_000) throw new InvError(null, `host range in "${name}" expands to more than 100000 hosts`);
  return seq.flatMap((x) => expandHostRange(`${head}${fill(x)}${tail}`));
}

function pyIntStrict(s: string): number | null {
  return /^\s*[+-]?\d+(_\d+)*\s*$/.test(s) ? parseInt(s.replace(/_/g, ''), 10) : null;
}

/** BaseInventoryPlugin._expand_hostpattern: host names and an optional port for all of them. */
function expandHostPattern(pattern: string): { names: string[]; port: number | null } {
  const a = parseAddress(pattern);
  const p = a ? a.host : pattern;
  return { names: expandHostRange(p), port: a ? a.port : null };
}

// ---- INI (plugins/inventory/ini.py)

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/u;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/u;
// Python str.splitlines() also breaks on the file/group/record separators \x1c-\x1e.
// eslint-disable-next-line no-control-regex
const SPLITLINES = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/**
 * Python shlex.split in POSIX mode: the INI reader splits host lines with comments=True; the ssh
 * connection plugin splits ansible_ssh_common_args without comments. A string is the error.
 */
export function shlexSplit(line: string, comments = true): string[] | string {
  const out: string[] = [];
  let tok = '';
  let inTok = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inTok) out.push(tok);
      tok = '';
      inTok = false;
      i++;
    } else if (c === '#' && comments) break;
    else if (c === '\\') {
      if (i + 1 >= line.length) return 'No escaped character';
      tok += line[i + 1];
      inTok = true;
      i += 2;
    } else if (c === "'") {
      const j = line.indexOf("'", i + 1);
      if (j < 0) return 'No closing quotation';
      tok += line.slice(i + 1, j);
      inTok = true;
      i = j + 1;
    } else if (c === '"') {
      i++;
      inTok = true;
      for (;;) {
        if (i >= line.length) return 'No closing quotation';
        const d = line[i] as string;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < line.length && (line[i + 1] === '"' || line[i + 1] === '\\')) {
          tok += line[i + 1];
          i += 2;
          continue;
        }
        tok += d;
        i++;
      }
    } else {
      tok += c;
      inTok = true;
      i++;
    }
  }
  if (inTok) out.push(tok);
  return out;
}

function iniValue(v: string): unknown {
  const r = literalEval(v);
  return r === undefined ? v : r;
}

export function parseIniInventory(text: string, file: string): InventoryResult<Inventory> {
  const inv = new Inventory(file);
  const lines = text.split(SPLITLINES);
  if (lines.at(-1) === '') lines.pop();
  let lineno = 0;
  const pending = new Map<string, { line: number; state: string; parents: string[] }>();
  const addPendingChildren = (group: string): void => {
    const decl = pending.get(group);
    if (!decl) return;
    for (const parent of decl.parents) {
      inv.addChild(parent, group);
      if (pending.get(parent)?.state === 'children') addPendingChildren(parent);
    }
    pending.delete(group);
  };
  try {
    let group = 'ungrouped';
    let state = 'hosts';
    for (const raw of lines) {
      lineno++;
      const line = raw.trim();
      if (line === '' || line[0] === '#' || line[0] === ';') continue;
      const src = `${file}:${lineno}`;
      const m = SECTION.exec(line);
      if (m) {
        group = m[1] as string;
        state = m[2] ?? 'hosts';
        if (!['hosts', 'children', 'vars'].includes(state))
          throw new InvError(lineno, `Section [${group}:${state}] has unknown type: ${state}`);
        if (!inv.groups.has(group)) {
          if (state === 'vars' && !pending.has(group)) pending.set(group, { line: lineno, state, parents: [] });
          inv.addGroup(group);
        }
        const p = pending.get(group);
        if (p && state !== 'vars') {
          if (p.state === 'children') addPendingChildren(group);
          else if (p.state === 'vars') pending.delete(group);
        }
        continue;
      }
      if (line.startsWith('[') && line.endsWith(']'))
        throw new InvError(
          lineno,
          `Invalid section entry: '${line}'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters`,
        );
      if (state === 'hosts') {
        const tokens = shlexSplit(line);
        if (typeof tokens === 'string') throw new InvError(lineno, `Error parsing host definition '${line}': ${tokens}`);
        const first = tokens[0];
        if (first === undefined) continue;
        const { names, port } = expandHostPattern(first);
        if (first.trim().endsWith(':') && port === null)
          throw new InvError(
            lineno,
            `Invalid host pattern '${first}' supplied, ending in ':' is not allowed, this character is reserved to provide a port.`,
          );
        if (names.some((n) => n.trim() === '---'))
          throw new InvError(lineno, `Invalid host pattern '${first}' supplied, '---' is normally a sign this is a YAML file.`);
        const vars: [string, unknown][] = [];
        for (const t of tokens.slice(1)) {
          const eq = t.indexOf('=');
          if (eq < 0) throw new InvError(lineno, `Expected key=value host variable assignment, got: ${t}`);
          vars.push([t.slice(0, eq), iniValue(t.slice(eq + 1))]);
        }
        for (const h of names) {
          inv.addHost(h, group, port, src);
          for (const [k, v] of vars) inv.setVar(h, k, v, src);
        }
      } else if (state === 'vars') {
        const eq = line.indexOf('=');
        if (eq < 0) throw new InvError(lineno, `Expected key=value, got: ${line}`);
        inv.setVar(group, line.slice(0, eq).trim(), iniValue(line.slice(eq + 1).trim()), src);
      } else {
        const cm = GROUP_NAME.exec(line);
        if (!cm) throw new InvError(lineno, `Expected group name, got: ${line}`);
        const child = cm[1] as string;
        if (!inv.groups.has(child)) {
          const p = pending.get(child);
          if (!p) pending.set(child, { line: lineno, state, parents: [group] });
          else p.parents.push(group);
        } else inv.addChild(group, child);
      }
    }
    for (const [name, decl] of pending) {
      if (decl.state === 'vars') throw new InvError(decl.line, `Section [${name}:vars] not valid for undefined group: ${name}`);
      throw new InvError(decl.line, `Section [${decl.parents.at(-1)}:children] includes undefined group: ${name}`);
    }
    inv.reconcile();
  } catch (e) {
    if (e instanceof InvError) return { ok: false, error: { file, line: e.line ?? lineno, message: e.message } };
    throw e;
  }
  return { ok: true, value: inv };
}

// ---- YAML (plugins/inventory/yaml.py); PyYAML reads YAML 1.1 (yes/no booleans, 0755 octal)

function yamlDoc(text: string): { doc: Document; lc: LineCounter } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, version: '1.1', uniqueKeys: false, prettyErrors: false });
  return { doc, lc };
}

/** A mapping's entries in order, a repeated key keeping its first place and its last value (PyYAML). */
function entries(node: YamlNode, doc: Document, lc: LineCounter): { key: unknown; keyLine: number; value: YamlNode | null; js: unknown }[] {
  if (!isMap(node)) return [];
  const out = new Map<unknown, { key: unknown; keyLine: number; value: YamlNode | null; js: unknown }>();
  for (const pair of node.items) {
    const k = isScalar(pair.key) ? pair.key.value : pair.key;
    const keyLine = isScalar(pair.key) && pair.key.range ? lc.linePos(pair.key.range[0]).line : 0;
    const value = (pair.value ?? null) as YamlNode | null;
    const js: unknown = value === null ? null : (value.toJS(doc, { maxAliasCount: 1000 }) as unknown);
    const prev = out.get(k);
    out.set(k, { key: k, keyLine: prev?.keyLine ?? keyLine, value, js });
  }
  return [...out.values()];
}

function lineOf(node: YamlNode | null, lc: LineCounter): number | null {
  return node?.range ? lc.linePos(node.range[0]).line : null;
}

export function parseYamlInventory(text: string, file: string): InventoryResult<Inventory> {
  const inv = new Inventory(file);
  const { doc, lc } = yamlDoc(text);
  const err = doc.errors[0];
  if (err) return { ok: false, error: { file, line: lc.linePos(err.pos[0]).line, message: `YAML: ${err.message.split('\n')[0]}` } };
  const root = doc.contents;
  const fail = (line: number | null, message: string): InventoryResult<Inventory> => ({ ok: false, error: { file, line, message } });
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return fail(1, 'Parsed empty YAML file');
  if (!isMap(root)) return fail(lineOf(root, lc), 'YAML inventory has invalid structure, it should be a dictionary');
  if (root.get('plugin')) return fail(lineOf(root, lc), 'Plugin configuration YAML file, not YAML inventory');

  const parseGroup = (name: unknown, node: YamlNode | null, js: unknown, line: number): string => {
    if (typeof name !== 'string')
      throw new InvError(line, `Invalid group name supplied, expected a string but got ${JSON.stringify(name)}`);
    if (js !== null && (typeof js !== 'object' || Array.isArray(js))) return name; // not a group definition: skipped
    inv.addGroup(name);
    if (node === null || js === null) return name;
    for (const e of entries(node, doc, lc)) {
      const section = e.key;
      let sub: { key: unknown; keyLine: number; value: YamlNode | null; js: unknown }[];
      if (typeof e.js === 'string' && (section === 'vars' || section === 'children' || section === 'hosts'))
        sub = [{ key: e.js, keyLine: e.keyLine, value: null, js: null }];
      else if (e.js === null) continue;
      else if (typeof e.js !== 'object' || Array.isArray(e.js)) {
        if (section === 'vars' || section === 'children' || section === 'hosts')
          throw new InvError(e.keyLine, `Invalid "${String(section)}" entry for "${name}" group, requires a dictionary`);
        continue;
      } else sub = entries(e.value as YamlNode, doc, lc);
      if (section === 'vars') {
        for (const v of sub) inv.setVar(name, String(v.key), v.js, `${file}:${v.keyLine}`);
      } else if (section === 'children') {
        for (const c of sub) inv.addChild(name, parseGroup(c.key, c.value, c.js, c.keyLine));
      } else if (section === 'hosts') {
        for (const h of sub) {
          if (typeof h.key !== 'string')
            throw new InvError(h.keyLine, `Host pattern ${String(h.key)} must be a string. Enclose integers/floats in quotation marks.`);
          const vars = h.js ?? {};
          if (typeof vars !== 'object' || Array.isArray(vars))
            throw new InvError(h.keyLine, `Invalid data for host ${h.key}, expected a dictionary`);
          let expanded: { names: string[]; port: number | null };
          try {
            expanded = expandHostPattern(h.key);
          } catch (x) {
            if (x instanceof InvError) throw new InvError(h.keyLine, x.message);
            throw x;
          }
          const varEntries = h.value === null ? [] : entries(h.value, doc, lc);
          for (const hn of expanded.names) {
            inv.addHost(hn, name, expanded.port, `${file}:${h.keyLine}`);
            for (const v of varEntries) inv.setVar(hn, String(v.key), v.js, `${file}:${v.keyLine}`);
          }
        }
      }
    }
    return name;
  };
  let current = 1;
  try {
    for (const e of entries(root, doc, lc)) {
      current = e.keyLine;
      parseGroup(e.key, e.value, e.js, e.keyLine);
    }
    inv.reconcile();
  } catch (x) {
    if (x instanceof InvError) return fail(x.line ?? current, x.message);
    throw x;
  }
  return { ok: true, value: inv };
}

/** A vars file of group_vars/ or host_vars/ (YAML or JSON): its top-level keys with their lines. */
export function parseVarsFile(text: string, file: string): InventoryResult<Vars | null> {
  const { doc, lc } = yamlDoc(text);
  const err = doc.errors[0];
  if (err) return { ok: false, error: { file, line: lc.linePos(err.pos[0]).line, message: `YAML: ${err.message.split('\n')[0]}` } };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { ok: true, value: null };
  if (!isMap(root)) return { ok: false, error: { file, line: lineOf(root, lc), message: 'a vars file must hold a mapping' } };
  const out: Vars = new Map();
  for (const e of entries(root, doc, lc)) out.set(String(e.key), { value: e.js, source: `${file}:${e.keyLine}` });
  return { ok: true, value: out };
}

/** Parses an inventory file: YAML by extension (.yml, .yaml, .json, like Ansible's yaml plugin), else INI. */
export function parseInventory(text: string, file: string): InventoryResult<Inventory> {
  return /\.(ya?ml|json)$/i.test(file) ? parseYamlInventory(text, file) : parseIniInventory(text, file);
}

// ---- --limit patterns (inventory/manager.py)

/** split_host_pattern: `a,b` or `a:b` (a lone address with a port stays one pattern). */
export function splitHostPattern(pattern: string): string[] {
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (parseAddress(pattern)) parts = [pattern];
  else parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/gu) ?? [];
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Python fnmatch.translate (case-sensitive, whole name). */
export function fnmatchRegExp(pat: string): RegExp {
  let re = '';
  let i = 0;
  const n = pat.length;
  while (i < n) {
    const c = pat[i++] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      let j = i;
      if (j < n && pat[j] === '!') j++;
      if (j < n && pat[j] === ']') j++;
      while (j < n && pat[j] !== ']') j++;
      if (j >= n) re += '\\[';
      else {
        let stuff = pat.slice(i, j);
        i = j + 1;
        if (stuff === '!') re += '.';
        else {
          let neg = false;
          if (stuff.startsWith('!')) {
            neg = true;
            stuff = stuff.slice(1);
          }
          re += `[${neg ? '^' : ''}${stuff.replace(/[\\\]^[]/g, (m) => `\\${m}`)}]`;
        }
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${re})$`, 'su');
}

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/su;

export interface LimitIo {
  /** Reads a `@file` limit (one pattern a line). */
  readText(path: string): { ok: true; text: string } | { ok: false; message: string };
}

export type Selection = { ok: true; hosts: string[] } | { ok: false; message: string };

/**
 * The hosts `ansible -i INV all --list-hosts --limit LIMIT` lists, in inventory order (a group's own
 * hosts, then its children's breadth first; Ansible itself orders the deeper levels by set iteration).
 */
export function selectHosts(inv: Inventory, limit: string | null, io?: LimitIo): Selection {
  const all = inv.hostsOf('all');
  if (limit === null) return { ok: true, hosts: all };
  const subset: string[] = [];
  for (const x of splitHostPattern(limit)) {
    if (x.startsWith('@')) {
      if (!io) return { ok: false, message: `limit file ${x.slice(1)}: no file access` };
      const r = io.readText(x.slice(1));
      if (!r.ok) return { ok: false, message: `Unable to find limit file ${x.slice(1)}: ${r.message}` };
      subset.push(...r.text.split('\n').map((l) => l.trim()));
    } else subset.push(x);
  }
  try {
    const keep = new Set(evaluatePatterns(inv, subset));
    return { ok: true, hosts: all.filter((h) => keep.has(h)) };
  } catch (e) {
    if (e instanceof InvError) return { ok: false, message: e.message };
    throw e;
  }
}

function evaluatePatterns(inv: Inventory, patterns: string[]): string[] {
  const regular = patterns.filter((p) => p !== '' && p[0] !== '!' && p[0] !== '&');
  const ordered = [
    ...(regular.length > 0 ? regular : ['all']),
    ...patterns.filter((p) => p[0] === '&'),
    ...patterns.filter((p) => p[0] === '!'),
  ];
  let hosts: string[] = [];
  for (const p of ordered) {
    if (inv.hosts.has(p)) {
      hosts.push(p);
      continue;
    }
    const that = matchOnePattern(inv, p);
    if (p[0] === '!') {
      const s = new Set(that);
      hosts = hosts.filter((h) => !s.has(h));
    } else if (p[0] === '&') {
      const s = new Set(that);
      hosts = hosts.filter((h) => s.has(h));
    } else {
      const have = new Set(hosts);
      hosts.push(...that.filter((h) => !have.has(h)));
    }
  }
  return [...new Set(hosts)];
}

function matchOnePattern(inv: Inventory, pattern: string): string[] {
  let p = pattern[0] === '&' || pattern[0] === '!' ? pattern.slice(1) : pattern;
  let sub: [number, number | null] | null = null;
  if (p[0] !== '~') {
    const m = SUBSCRIPT.exec(p);
    if (m) {
      p = m[1] as string;
      if (m[2] !== undefined) sub = [parseInt(m[2], 10), null];
      else sub = [parseInt(m[3] as string, 10), m[5] ? parseInt(m[5], 10) : -1];
    }
  }
  const hosts = enumerateMatches(inv, p);
  if (hosts.length === 0 || sub === null) return hosts;
  const [start, end] = sub;
  // manager.py _apply_subscript: an end of 0 is falsy there, so [x:0] is the single index x.
  if (end) {
    const e = end === -1 ? hosts.length - 1 : end;
    return hosts.slice(start, e + 1);
  }
  const idx = start < 0 ? hosts.length + start : start;
  const h = hosts[idx];
  if (h === undefined || idx < 0) throw new InvError(null, `No hosts matched the subscripted pattern '${pattern.replace(/^[&!]/, '')}'`);
  return [h];
}

function matchList(items: Iterable<string>, pattern: string): string[] {
  let re: RegExp;
  try {
    re = pattern[0] === '~' ? new RegExp(`^(?:${pattern.slice(1)})`, 'u') : fnmatchRegExp(pattern);
  } catch {
    throw new InvError(null, `Invalid host list pattern: ${pattern}`);
  }
  return [...items].filter((x) => re.test(x));
}

function enumerateMatches(inv: Inventory, pattern: string): string[] {
  const out: string[] = [];
  const groups = matchList(inv.groups.keys(), pattern);
  for (const g of groups) out.push(...inv.hostsOf(g));
  if (groups.length === 0 || pattern[0] === '~' || /[.?*[]/.test(pattern)) out.push(...matchList(inv.hosts.keys(), pattern));
  return out;
}

// ---- what the SSH transport needs of a host

export interface HostConnection {
  name: string;
  /** ansible_host (ansible_ssh_host wins, as in the ssh connection plugin), else the inventory name. */
  address: string;
  port: number | null;
  user: string | null;
  privateKeyFile: string | null;
  /** ansible_ssh_common_args, unsplit (the transport splits it as Ansible does, with shlex). */
  commonArgs: string | null;
  /** commonArgs split as the ssh connection plugin splits it (shlex, no comments). */
  commonArgv: string[];
  become: boolean;
  connection: string | null;
  /** `file:line` of each connection setting that came from the inventory. */
  sources: Record<string, string>;
}

const BOOL_TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const BOOL_FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f', '']);

/** module_utils convert_bool.boolean, strict. */
export function ansibleBoolean(v: unknown): boolean | null {
  if (v === true || v === 1) return true;
  if (v === false || v === 0 || v === null) return false;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (BOOL_TRUE.has(s)) return true;
    if (BOOL_FALSE.has(s)) return false;
  }
  return null;
}

export type ConnectionResult = { ok: true; value: HostConnection } | { ok: false; message: string };

export function connectionOf(inv: Inventory, host: string): ConnectionResult {
  const vars = inv.hostVars(host);
  const sources: Record<string, string> = {};
  const pick = (...names: string[]): { value: unknown; name: string } | null => {
    let found: { value: unknown; name: string } | null = null;
    for (const n of names) {
      const v = vars.get(n);
      if (v !== undefined && v.value !== null) {
        found = { value: v.value, name: n };
        sources[n] = v.source;
      }
    }
    return found;
  };
  const text = (label: string, ...names: string[]): string | null | Error => {
    const v = pick(...names);
    if (v === null) return null;
    if (typeof v.value !== 'string' && typeof v.value !== 'number') return new Error(`${v.name} is not a string (${sources[v.name]})`);
    const s = String(v.value);
    if (s.includes('{{') || s.includes('{%'))
      return new Error(`${v.name} is a Jinja template, which Rampart does not evaluate (${sources[v.name]})`);
    return s;
  };
  const address = text('host', 'ansible_host', 'ansible_ssh_host');
  const portText = text('port', 'ansible_port', 'ansible_ssh_port');
  const user = text('user', 'ansible_user', 'ansible_ssh_user');
  const key = text('key', 'ansible_ssh_private_key_file', 'ansible_private_key_file');
  const common = text('args', 'ansible_ssh_common_args');
  const connection = text('connection', 'ansible_connection');
  for (const v of [address, portText, user, key, common, connection])
    if (v instanceof Error) return { ok: false, message: `${host}: ${v.message}` };
  let port: number | null = null;
  if (portText !== null) {
    if (!/^\d{1,5}$/.test(portText as string) || Number(portText) < 1 || Number(portText) > 65535)
      return { ok: false, message: `${host}: ansible_port "${String(portText)}" is not a TCP port` };
    port = Number(portText);
  }
  let commonArgv: string[] = [];
  if (typeof common === 'string') {
    const split = shlexSplit(common.trim(), false);
    if (typeof split === 'string')
      return { ok: false, message: `${host}: ansible_ssh_common_args: ${split} (${sources.ansible_ssh_common_args})` };
    commonArgv = split;
  }
  const b = pick('ansible_become');
  let become = false;
  if (b !== null) {
    const x = ansibleBoolean(b.value);
    if (x === null)
      return { ok: false, message: `${host}: ansible_become "${String(b.value)}" is not a boolean (${sources.ansible_become})` };
    become = x;
  }
  return {
    ok: true,
    value: {
      name: host,
      address: (address as string | null) ?? host,
      port,
      user: user as string | null,
      privateKeyFile: key as string | null,
      commonArgs: common as string | null,
      commonArgv,
      become,
      connection: connection as string | null,
      sources,
    },
  };
}
