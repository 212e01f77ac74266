// Reads an inventory file and the group_vars/ and host_vars/ directories beside it, as Ansible's
// host_group_vars plugin finds them (parsing/dataloader.py find_vars_files): NAME, NAME.yml,
// NAME.yaml or NAME.json, the first that exists; a directory NAME/ gives every file in it, sorted,
// recursively, without hidden files, backups (~) and other extensions.
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { parseInventory, parseVarsFile, type Inventory, type InventoryResult, type VarValue } from './inventory.js';

const MAX_BYTES = 16 * 1024 * 1024;
const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

function readText(path: string): { ok: true; text: string } | { ok: false; message: string } {
  try {
    const st = statSync(path);
    if (!st.isFile()) return { ok: false, message: `${path} is not a file` };
    if (st.size > MAX_BYTES) return { ok: false, message: `${path} is larger than ${MAX_BYTES} bytes` };
    return { ok: true, text: readFileSync(path, 'utf8') };
  } catch (e) {
    return { ok: false, message: `${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
}

function kind(path: string): 'file' | 'dir' | null {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : null;
  } catch {
    return null;
  }
}

function dirVarsFiles(dir: string): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    if (n.startsWith('.') || n.endsWith('~')) continue;
    const p = join(dir, n);
    const ext = extname(n);
    const k = kind(p);
    if (k === 'dir' && !ext) out.push(...dirVarsFiles(p));
    else if (k === 'file' && EXTENSIONS.includes(ext)) out.push(p);
  }
  return out;
}

function findVarsFiles(dir: string, name: string): string[] {
  for (const ext of EXTENSIONS) {
    const p = join(dir, name + ext);
    const k = kind(p);
    if (k === 'dir') return dirVarsFiles(p);
    if (k === 'file') return [p];
  }
  return [];
}

function loadVars(dir: string, name: string): InventoryResult<Map<string, VarValue> | undefined> {
  if (name.startsWith('/') || name.includes('\0')) return { ok: true, value: undefined };
  let merged: Map<string, VarValue> | undefined;
  for (const f of findVarsFiles(dir, name)) {
    const r = readText(f);
    if (!r.ok) return { ok: false, error: { file: f, line: null, message: r.message } };
    const v = parseVarsFile(r.text, f);
    if (!v.ok) return v;
    if (v.value) {
      merged ??= new Map();
      for (const [k, x] of v.value) merged.set(k, x);
    }
  }
  return { ok: true, value: merged };
}

/** An inventory file with its group_vars/ and host_vars/; errors carry file:line. */
export function loadInventory(path: string): InventoryResult<Inventory> {
  const r = readText(path);
  if (!r.ok) return { ok: false, error: { file: path, line: null, message: r.message } };
  const parsed = parseInventory(r.text, path);
  if (!parsed.ok) return parsed;
  const inv = parsed.value;
  let base: string;
  try {
    base = realpathSync(dirname(path));
  } catch {
    base = dirname(path);
  }
  for (const [sub, names, into] of [
    ['group_vars', [...inv.groups.keys()], inv.varsFiles.groups],
    ['host_vars', [...inv.hosts.keys()], inv.varsFiles.hosts],
  ] as const) {
    const dir = join(base, sub);
    if (kind(dir) !== 'dir') continue;
    for (const n of names) {
      const v = loadVars(dir, n);
      if (!v.ok) return v;
      if (v.value) into.set(n, v.value);
    }
  }
  return { ok: true, value: inv };
}

export { readText as readLimitFile };
