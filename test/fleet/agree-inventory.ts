// Agreement of src/fleet/inventory.ts with ansible-core on generated inventories, item by item: each
// group's hosts and children, each host's variables, each --limit's host set (Ansible orders hosts past
// the first level of children by set iteration, so sets are compared), and parse errors (both refuse;
// for INI the same line). A "false pass" here is a host Ansible selects that Rampart would drop: a host
// silently not audited.
//   npx tsx test/fleet/agree-inventory.ts --cases N --seed S
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { loadInventory, readLimitFile } from '../../src/fleet/inventory-load.js';
import { selectHosts } from '../../src/fleet/inventory.js';
import { generateInventoryCase, type InventoryCase } from './inventory-gen.js';

const TRUTH = join(import.meta.dirname, 'ansible-truth.py');

type Truth =
  | { error: string }
  | {
      groups: Record<string, { hosts: string[]; children: string[] }>;
      hostvars: Record<string, Record<string, unknown>>;
      limits: ({ hosts: string[] } | { error: string })[];
    };

export interface Agreement {
  cases: number;
  items: number;
  agree: number;
  falsePass: number;
  /** Cases ansible-core refuses (parse errors): both must refuse, INI on the same line. */
  refused: number;
  classes: Map<string, { count: number; example: string }>;
}

function writeCase(root: string, c: InventoryCase): string {
  const dir = join(root, `case-${c.seed}`);
  for (const [rel, text] of Object.entries(c.files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

export function runAnsible(cases: { file: string; limits: string[] }[], cwd: string): Truth[] {
  const r = spawnSync('/usr/bin/python3', [TRUTH], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    cwd,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, ANSIBLE_LOCAL_TEMP: join(cwd, '.ansible-tmp'), HOME: cwd },
  });
  if (r.status !== 0) throw new Error(`ansible-truth.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Truth[];
}

export function agreeInventories(n: number, seed: number): Agreement {
  const root = mkdtempSync(join(tmpdir(), 'rampart-inv-agree-'));
  const neutral = join(root, 'cwd');
  mkdirSync(neutral);
  const res: Agreement = { cases: n, items: 0, agree: 0, falsePass: 0, refused: 0, classes: new Map() };
  const miss = (cls: string, example: string) => {
    const c = res.classes.get(cls) ?? { count: 0, example };
    c.count++;
    res.classes.set(cls, c);
  };
  try {
    const cases = Array.from({ length: n }, (_, i) => generateInventoryCase(seed + i));
    const dirs = cases.map((c) => writeCase(root, c));
    const limitsOf = (c: InventoryCase, dir: string) => c.limits.map((l) => l.replace('@limit.txt', `@${join(dir, 'limit.txt')}`));
    const truth = runAnsible(
      cases.map((c, i) => ({ file: join(dirs[i] as string, c.inventory), limits: limitsOf(c, dirs[i] as string) })),
      neutral,
    );
    for (const [i, c] of cases.entries()) {
      const dir = dirs[i] as string;
      const t = truth[i] as Truth;
      const ours = loadInventory(join(dir, c.inventory));
      const tag = `seed ${c.seed}`;
      if ('error' in t) {
        res.items++;
        res.refused++;
        if (t.error.startsWith('CRASH')) miss('truth crashed', `${tag}: ${t.error}`);
        else if (ours.ok) miss('ansible refuses, rampart parses', `${tag}: ${t.error.split('\n')[0]}`);
        else {
          const m = /inv\.ini:(\d+):/.exec(t.error);
          if (m && ours.error.line !== Number(m[1]))
            miss('error on another line', `${tag}: ansible ${m[1]}, rampart ${ours.error.line}: ${ours.error.message}`);
          else res.agree++;
        }
        continue;
      }
      if (!ours.ok) {
        res.items++;
        miss('rampart refuses, ansible parses', `${tag}: ${ours.error.file}:${ours.error.line}: ${ours.error.message}`);
        continue;
      }
      const inv = ours.value;
      for (const [name, g] of Object.entries(t.groups)) {
        res.items += 2;
        const mine = inv.groups.get(name);
        if (isDeepStrictEqual([...(mine?.hosts ?? [])].sort(), [...g.hosts].sort())) res.agree++;
        else miss('group hosts', `${tag} ${name}: ansible ${JSON.stringify(g.hosts)} rampart ${JSON.stringify(mine?.hosts)}`);
        if (isDeepStrictEqual([...(mine?.children ?? [])].sort(), [...g.children].sort())) res.agree++;
        else miss('group children', `${tag} ${name}: ansible ${JSON.stringify(g.children)} rampart ${JSON.stringify(mine?.children)}`);
      }
      for (const name of inv.groups.keys()) if (!(name in t.groups)) miss('extra group', `${tag} ${name}`);
      for (const [h, vars] of Object.entries(t.hostvars)) {
        res.items++;
        if (!inv.hosts.has(h)) {
          res.falsePass++;
          miss('host missing', `${tag} ${h}`);
          continue;
        }
        const mine = Object.fromEntries([...inv.hostVars(h)].map(([k, v]) => [k, v.value]));
        if (isDeepStrictEqual(JSON.parse(JSON.stringify(mine)), vars)) res.agree++;
        else {
          const keys = [...new Set([...Object.keys(mine), ...Object.keys(vars)])].filter((k) => !isDeepStrictEqual(mine[k], vars[k]));
          miss(
            `host vars ${keys[0] ?? ''}`,
            `${tag} ${h}: ${keys.map((k) => `${k}: ansible ${JSON.stringify(vars[k])} rampart ${JSON.stringify(mine[k])}`).join('; ')}`,
          );
        }
      }
      const limits = limitsOf(c, dir);
      for (const [j, lim] of limits.entries()) {
        res.items++;
        const want = t.limits[j];
        const got = selectHosts(inv, lim, { readText: readLimitFile });
        if (want === undefined) continue;
        if ('error' in want) {
          if (got.ok) miss('limit: ansible refuses, rampart selects', `${tag} ${lim}: ${want.error}`);
          else res.agree++;
          continue;
        }
        if (!got.ok) {
          miss('limit: rampart refuses, ansible selects', `${tag} ${lim}: ${got.message}`);
          continue;
        }
        const a = [...want.hosts].sort();
        const b = [...got.hosts].sort();
        if (isDeepStrictEqual(a, b)) res.agree++;
        else {
          if (a.some((h) => !b.includes(h))) res.falsePass++;
          miss('limit hosts', `${tag} ${lim}: ansible ${JSON.stringify(a)} rampart ${JSON.stringify(b)}`);
        }
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return res;
}

export function agreementLine(a: Agreement): string {
  const pct = a.items === 0 ? 0 : (100 * a.agree) / a.items;
  return `agree-inventory: cases=${a.cases} items=${a.items} agree=${a.agree} (${pct.toFixed(2)}%) false-pass=${a.falsePass}`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const arg = (name: string, dflt: number) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const a = agreeInventories(arg('--cases', 300), arg('--seed', 1));
  console.log(agreementLine(a));
  console.log(`  inventories ansible-core refuses: ${a.refused}`);
  for (const [cls, { count, example }] of a.classes) console.log(`  ${cls}: ${count} (e.g. ${example})`);
}
