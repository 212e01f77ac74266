// Recipe commands inside the apply transaction (issue 12): before a command runs, the exact state of
// what it changes is saved in the receipt (files: bytes, mode, owner, group, or absence; the kernel's
// iptables/ip6tables rulesets); the command runs as argv (no shell) with a timeout, its output redacted
// into the receipt; its undo puts the saved state back (and runs an inverse command where the plan
// gives one). Files of a command's receipt: commands/<k>.saved.json, commands/<k>.<j>.orig,
// commands/<k>.ipv4 / .ipv6, commands/<k>.out, commands/<k>.after.json.
import { mkdirSync, chmodSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { redactSecrets } from '../util/redact.js';
import { FixError, isState, readState, removeIfFile, restoreFile, sha256, fsyncDir, type FileMeta } from './fs-ops.js';
import { readRunFile, writeRunFile, type CommandEntry } from './receipt.js';
import { capture, type CommandRunner } from './restore.js';

interface SavedFile {
  path: string;
  original: (FileMeta & { sha256: string; size: number; atimeMs: number; mtimeMs: number }) | null;
  backup: string | null;
}

type Family = 'ipv4' | 'ipv6';

interface SavedRuleset {
  family: Family;
  backup: string;
  sha256: string;
  tables: string[];
}

interface Saved {
  files: SavedFile[];
  kernel: SavedRuleset[];
}

interface After {
  files: { path: string; state: (FileMeta & { sha256: string }) | null }[];
  kernel: { family: Family; normalized: string }[];
}

const TOOLS: Record<Family, { save: string; restore: string; nft: string }> = {
  ipv4: { save: 'iptables-save', restore: 'iptables-restore', nft: 'ip' },
  ipv6: { save: 'ip6tables-save', restore: 'ip6tables-restore', nft: 'ip6' },
};

/** iptables-save text without what changes by itself: the generated-at comments and the packet/byte counters. */
export function normalizeRuleset(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\s*\[\d+:\d+\]$/, '').replace(/^\[\d+:\d+\]\s*/, ''))
    .join('\n')
    .trim();
}

export function tablesOf(text: string): string[] {
  return [...text.matchAll(/^\*(\S+)\s*$/gm)].map((m) => m[1]!);
}

const rel = (k: number, what: string) => `commands/${k}.${what}`;

function ensureCommandsDir(runDir: string): void {
  const d = join(runDir, 'commands');
  mkdirSync(d, { recursive: true, mode: 0o700 });
  chmodSync(d, 0o700);
}

function readJson<T>(runDir: string, r: string): T | null {
  try {
    return JSON.parse(readFileSync(join(runDir, r), 'utf8')) as T;
  } catch {
    return null;
  }
}

async function saveKernel(family: Family, timeoutMs: number): Promise<string> {
  const r = await capture([TOOLS[family].save], timeoutMs);
  if (r.code !== 0)
    throw new FixError(`cannot save the ${family} firewall before the command (${TOOLS[family].save}: ${r.stderr.trim().slice(0, 500)})`);
  return r.stdout;
}

/** Saves what command k may change, before it runs (durably: the receipt files, then saved.json). */
export async function saveBeforeCommand(runDir: string, k: number, c: CommandEntry): Promise<void> {
  ensureCommandsDir(runDir);
  const files: SavedFile[] = [];
  for (const [j, path] of c.restores.entries()) {
    const s = readState(path);
    if (s.exists) writeRunFile(runDir, rel(k, `${j}.orig`), s.content);
    files.push({
      path,
      original: s.exists
        ? { mode: s.mode, uid: s.uid, gid: s.gid, sha256: s.sha256, size: s.size, atimeMs: s.atimeMs, mtimeMs: s.mtimeMs }
        : null,
      backup: s.exists ? rel(k, `${j}.orig`) : null,
    });
  }
  const kernel: SavedRuleset[] = [];
  if (c.restoresKernelFirewall)
    for (const family of ['ipv4', 'ipv6'] as const) {
      const text = await saveKernel(family, 30_000);
      writeRunFile(runDir, rel(k, family), Buffer.from(text));
      kernel.push({ family, backup: rel(k, family), sha256: sha256(Buffer.from(text)), tables: tablesOf(text) });
    }
  writeRunFile(runDir, rel(k, 'saved.json'), Buffer.from(`${JSON.stringify({ files, kernel } satisfies Saved, null, 2)}\n`));
}

/** Runs command k; its output (secrets redacted) goes to the receipt. */
export async function runRecipeCommand(
  runDir: string,
  k: number,
  c: CommandEntry,
  run: CommandRunner,
): Promise<{ code: number | null; output: string }> {
  const r = await run(c.argv, c.timeoutMs);
  const output = redactSecrets(r.output);
  writeRunFile(runDir, rel(k, 'out'), Buffer.from(output));
  return { code: r.code, output };
}

/** Records what command k left (the undo of a later `rampart rollback` refuses what changed since, unless forced). */
export async function recordAfterCommand(runDir: string, k: number, c: CommandEntry): Promise<void> {
  const saved = readJson<Saved>(runDir, rel(k, 'saved.json'));
  if (!saved) throw new FixError(`the receipt of command ${k} is missing (${rel(k, 'saved.json')})`);
  const files = saved.files.map((f) => {
    const s = readState(f.path);
    return { path: f.path, state: s.exists ? { mode: s.mode, uid: s.uid, gid: s.gid, sha256: s.sha256 } : null };
  });
  const kernel: After['kernel'] = [];
  if (c.restoresKernelFirewall)
    for (const family of ['ipv4', 'ipv6'] as const) kernel.push({ family, normalized: normalizeRuleset(await saveKernel(family, 30_000)) });
  writeRunFile(runDir, rel(k, 'after.json'), Buffer.from(`${JSON.stringify({ files, kernel } satisfies After, null, 2)}\n`));
}

/**
 * Why undoing the commands `ks` (newest first) would overwrite a change made after the run, or null.
 * Each file and ruleset is compared with what the newest command that saved it left (or with the
 * state before the oldest one: already back).
 */
export async function changedSinceCommands(runDir: string, ks: readonly number[]): Promise<string | null> {
  const last = new Map<string, { k: number; state: After['files'][number]['state'] }>();
  const first = new Map<string, SavedFile['original']>();
  const kernelLast = new Map<Family, string>();
  const kernelFirst = new Map<Family, SavedRuleset>();
  for (const k of [...ks].sort((a, b) => a - b)) {
    const saved = readJson<Saved>(runDir, rel(k, 'saved.json'));
    const after = readJson<After>(runDir, rel(k, 'after.json'));
    for (const f of saved?.files ?? []) if (!first.has(f.path)) first.set(f.path, f.original);
    for (const s of saved?.kernel ?? []) if (!kernelFirst.has(s.family)) kernelFirst.set(s.family, s);
    // A command without after.json did not finish: the run was rolled back then, nothing to compare.
    for (const f of after?.files ?? []) last.set(f.path, { k, state: f.state });
    for (const kf of after?.kernel ?? []) kernelLast.set(kf.family, kf.normalized);
  }
  for (const [path, { k, state }] of last) {
    const s = readState(path);
    const orig = first.get(path) ?? null;
    const asLeft = state === null ? !s.exists : isState(s, state);
    const asBefore = orig === null ? !s.exists : isState(s, orig);
    if (!asLeft && !asBefore) return `${path} changed after command ${k}`;
  }
  for (const [family, normalized] of kernelLast) {
    const now = normalizeRuleset(await saveKernel(family, 30_000));
    const b = kernelFirst.get(family);
    const beforeText = b ? normalizeRuleset(readRunFile(runDir, b.backup, b.sha256).toString('utf8')) : null;
    if (now !== normalized && now !== beforeText) return `the ${family} kernel firewall changed after the run`;
  }
  return null;
}

async function restoreKernel(runDir: string, k: number, s: SavedRuleset, run: CommandRunner): Promise<string[]> {
  const t = TOOLS[s.family];
  const text = readRunFile(runDir, s.backup, s.sha256).toString('utf8');
  const problems: string[] = [];
  if (s.tables.length > 0) {
    const r = await run([t.restore, join(runDir, s.backup)], 60_000);
    if (r.code !== 0) problems.push(`${t.restore} ${s.backup} exited ${r.code ?? 'abnormally'}: ${r.output.trim().slice(0, 500)}`);
  }
  const extra = tablesOf(await saveKernel(s.family, 30_000)).filter((x) => !s.tables.includes(x));
  if (extra.length > 0) {
    // A table the command created: iptables-restore cannot remove one; with the nf_tables backend it is an nft table.
    const v = await capture([t.save.replace('-save', ''), '-V'], 10_000);
    for (const table of extra) {
      if (!/nf_tables/.test(v.stdout)) {
        problems.push(`the ${s.family} table ${table} was created by command ${k} and the legacy backend cannot remove it`);
        continue;
      }
      const r = await run(['nft', 'delete', 'table', t.nft, table], 30_000);
      if (r.code !== 0)
        problems.push(`nft delete table ${t.nft} ${table} exited ${r.code ?? 'abnormally'}: ${r.output.trim().slice(0, 500)}`);
    }
  }
  const now = normalizeRuleset(await saveKernel(s.family, 30_000));
  if (problems.length === 0 && now !== normalizeRuleset(text))
    problems.push(`the ${s.family} kernel firewall is not as saved before command ${k} after the restore`);
  return problems;
}

/**
 * Undoes command k: the saved files back to their exact state (or removed), the saved rulesets loaded
 * back, then the inverse command. Idempotent (a recovery may repeat it). Problems: what is not back.
 */
export async function undoCommand(runDir: string, runId: string, k: number, c: CommandEntry, run: CommandRunner): Promise<string[]> {
  const saved = readJson<Saved>(runDir, rel(k, 'saved.json'));
  if (!saved) return c.restores.length || c.restoresKernelFirewall ? [`the saved state of command ${k} is missing`] : [];
  const problems: string[] = [];
  for (const f of saved.files) {
    try {
      const cur = readState(f.path);
      if (f.original === null) {
        if (cur.exists && removeIfFile(f.path)) fsyncDir(dirname(f.path));
      } else if (!cur.exists || !isState(cur, f.original) || cur.mtimeMs !== f.original.mtimeMs) {
        if (f.backup === null) throw new FixError(`no backup of ${f.path}`);
        restoreFile(f.path, runId, readRunFile(runDir, f.backup, f.original.sha256), f.original);
      }
    } catch (e) {
      problems.push(`${f.path}: ${(e as Error).message}`);
    }
  }
  for (const s of saved.kernel) problems.push(...(await restoreKernel(runDir, k, s, run)));
  if (c.undo) {
    const r = await run(c.undo, c.timeoutMs);
    if (r.code !== 0)
      problems.push(`${c.undo.join(' ')} exited ${r.code ?? 'abnormally'}: ${redactSecrets(r.output.trim().slice(0, 500))}`);
  }
  return problems;
}
