// A seeded generator of Ansible inventories (INI or YAML) with group_vars/ host_vars/ files and
// --limit patterns, shared by test/fleet/inventory-agree.test.ts and test/fleet/agree-inventory.ts.
import { rng } from '../rng.js';

export interface InventoryCase {
  seed: number;
  /** The inventory file name (inv.ini or inv.yml) and every file relative to the case dir. */
  inventory: string;
  files: Record<string, string>;
  limits: string[];
}

const GROUPS = ['web', 'db', 'app', 'lb', 'prod', 'stage', 'eu', 'us', 'cache', 'web_eu', 'ungrouped', 'all'];
const KEYS = [
  'ansible_host',
  'ansible_port',
  'ansible_user',
  'ansible_become',
  'ansible_ssh_private_key_file',
  'ansible_ssh_common_args',
  'tier',
  'role',
  'x',
];
const INI_VALUES = [
  '1',
  '01',
  '022',
  '0x1f',
  '-3',
  '1.5',
  '1e3',
  'True',
  'false',
  'yes',
  'None',
  'plain',
  '"dq"',
  "'sq'",
  '[1, 2]',
  "{'a': 1}",
  '-o ProxyJump=bastion',
  '/home/u/.ssh/id_ed25519',
  '10.0.0.7',
  'a # not a comment',
  '1 # a comment',
  "'a' 'b'",
  '',
];
const YAML_VALUES = [
  '1',
  '"01"',
  '0755',
  'yes',
  'no',
  'true',
  'null',
  'plain',
  "'-o ProxyJump=bastion'",
  '[1, 2]',
  '{a: 1}',
  '1.5',
  '"x y"',
  '~',
];

export function generateInventoryCase(seed: number): InventoryCase {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const chance = (p: number) => r() < p;
  const yaml = chance(0.45);
  const nGroups = 1 + Math.floor(r() * 6);
  const groups = [...new Set(Array.from({ length: nGroups }, () => pick(GROUPS.slice(0, 10))))];
  if (chance(0.1)) groups.push(pick(['ungrouped', 'all']));
  const hostPool = ['web01', 'web02', 'db-a', 'h1', 'h2.example.com', '10.0.0.5', 'cache1', 'lb', 'app7'];
  const hostsOf = new Map<string, string[]>();
  const childrenOf = new Map<string, string[]>();
  for (const [i, g] of groups.entries()) {
    const hs: string[] = [];
    const n = Math.floor(r() * 4);
    for (let k = 0; k < n; k++) {
      const roll = r();
      if (roll < 0.2) hs.push(pick(['web[01:03]', 'db-[a:c]', 'n[1:9:3]', 'r[x:B]', 'z[08:10]', 'h[1:2]x[a:b]', 'app[:2]']));
      else if (roll < 0.3) hs.push(`${pick(hostPool)}:${pick(['2222', '22', '0'])}`);
      else hs.push(pick(hostPool));
    }
    hostsOf.set(g, hs);
    // Children only from later groups: a DAG (the cycle error is a separate scenario).
    const kids = groups.slice(i + 1).filter(() => chance(0.3));
    if (g !== 'all' && g !== 'ungrouped')
      childrenOf.set(
        g,
        kids.filter((k) => k !== 'all' && k !== 'ungrouped'),
      );
  }
  const varsOf = (values: readonly string[]): [string, string][] =>
    Array.from({ length: Math.floor(r() * 3) }, () => [pick(KEYS), pick(values)] as [string, string]);
  const files: Record<string, string> = {};
  const groupVars = new Map(groups.map((g) => [g, varsOf(yaml ? YAML_VALUES : INI_VALUES)]));
  if (!yaml && chance(0.2)) groupVars.get(groups[0] as string)?.push(['ansible_group_priority', pick(['5', '0', '20'])]);

  if (yaml) {
    const out: string[] = [];
    const emitGroup = (g: string, indent: string, depth: number): void => {
      out.push(`${indent}${g}:`);
      const hs = hostsOf.get(g) ?? [];
      if (hs.length > 0) {
        out.push(`${indent}  hosts:`);
        for (const h of hs) {
          const hv = varsOf(YAML_VALUES);
          out.push(`${indent}    ${JSON.stringify(h)}:${hv.length === 0 ? '' : ''}`);
          for (const [k, v] of hv) out.push(`${indent}      ${k}: ${v}`);
        }
      }
      const vs = groupVars.get(g) ?? [];
      if (vs.length > 0) {
        out.push(`${indent}  vars:`);
        for (const [k, v] of vs) out.push(`${indent}    ${k}: ${v}`);
      }
      const kids = childrenOf.get(g) ?? [];
      if (kids.length > 0 && depth < 4) {
        out.push(`${indent}  children:`);
        for (const k of kids) emitGroup(k, `${indent}    `, depth + 1);
      }
    };
    if (chance(0.5)) {
      out.push('all:', '  children:');
      for (const g of groups.filter((x) => x !== 'all')) emitGroup(g, '    ', 1);
    } else for (const g of groups) emitGroup(g, '', 0);
    if (chance(0.04)) out.splice(Math.floor(r() * out.length), 0, pick(['  bad: [', 'x: {', '\tweb:']));
    files['inv.yml'] = out.join('\n') + '\n';
  } else {
    const out: string[] = [];
    if (chance(0.4)) out.push(`${pick(hostPool)} ansible_port=2201`, '# a comment', '; another');
    for (const g of groups) {
      out.push(`[${g}]${chance(0.1) ? '  # trailing comment' : ''}`);
      for (const h of hostsOf.get(g) ?? []) {
        const hv = varsOf(INI_VALUES).map(([k, v]) => `${k}=${/[\s#'"]/.test(v) || v === '' ? `'${v.replace(/'/g, '')}'` : v}`);
        out.push([h, ...hv].join(' '));
      }
      const kids = childrenOf.get(g) ?? [];
      if (kids.length > 0) out.push(`[${g}:children]`, ...kids);
      const vs = groupVars.get(g) ?? [];
      if (vs.length > 0 || chance(0.1)) out.push(`[${g}:vars]`, ...vs.map(([k, v]) => `${k}=${v}`));
    }
    if (chance(0.08))
      out.splice(
        Math.floor(r() * (out.length + 1)),
        0,
        pick(['host1 novalue', '[bad group]', '[web:weird]', '[nogroup:vars]\nk=v', '[p9:children]\nundefined9', "h3 x='unclosed"]),
      );
    files['inv.ini'] = out.join('\n') + '\n';
  }

  // group_vars/ host_vars/ beside the inventory: plain files, extensions, directories.
  for (const g of new Set(['all', ...groups])) {
    if (!chance(0.3)) continue;
    const body = varsOf(YAML_VALUES)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n');
    const where = pick([`group_vars/${g}`, `group_vars/${g}.yml`, `group_vars/${g}.yaml`, `group_vars/${g}/10.yml`, `group_vars/${g}/a/b`]);
    files[where] = body + '\n';
    if (where.endsWith('/10.yml') && chance(0.5)) files[`group_vars/${g}/20.yml`] = `tier: second\n`;
    if (where.split('/').length > 2 && chance(0.3)) files[`group_vars/${g}/.hidden.yml`] = 'tier: hidden\n';
  }
  for (const h of ['web01', 'db-b', 'h1', '10.0.0.5']) {
    if (chance(0.15))
      files[pick([`host_vars/${h}`, `host_vars/${h}.yml`, `host_vars/${h}.json`])] = `{"ansible_user": "hv-${h}", "ansible_port": 2299}\n`;
  }

  const names = [
    ...groups,
    'web01',
    'db-a',
    'h1',
    'nosuch',
    'web*',
    'w?b0[12]',
    '*1',
    'db-[ab]',
    'web[!0]*',
    '~web',
    '~(db|lb)',
    '~.*0[13]$',
  ];
  const leaf = groups.filter((g) => (childrenOf.get(g) ?? []).length === 0 && g !== 'all' && g !== 'ungrouped');
  const term = (): string => {
    const roll = r();
    if (roll < 0.15 && leaf.length > 0) return `${pick(leaf)}[${pick(['0', '1', '-1', '0:1', '1:', '5', '2:0'])}]`;
    return pick(names);
  };
  const limits: string[] = [];
  for (let i = 0; i < 4; i++) {
    const n = 1 + Math.floor(r() * 3);
    const parts = Array.from({ length: n }, (_, k) => (k === 0 ? '' : pick(['', '', '&', '!'])) + term());
    limits.push(parts.join(pick([':', ','])));
  }
  if (chance(0.2)) {
    files['limit.txt'] = `${term()}\n!${term()}\n\n`;
    limits.push('@limit.txt');
  }
  return { seed, inventory: yaml ? 'inv.yml' : 'inv.ini', files, limits };
}
