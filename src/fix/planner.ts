// The planner (issue 12): an audit's failing requirements with a recipe → one FixPlan (host paths, real
// bytes: what src/fix/apply.ts runs) and the PlannedFix (target paths, redacted diffs, values before →
// after, validations, risk: what the dry run shows, `--format json` gives and `--emit` consumes).
// Pure with respect to the host: it reads through the Target, writes nothing.
import { join } from 'node:path';
import type { Check } from '../checks/define.js';
import type { Config } from '../config/schema.js';
import type { Recipe, RecipeStep, RiskTier, TightenModesStep } from '../checks/recipe.js';
import type { Finding } from '../facts/evidence.js';
import type { Report } from '../evaluate/report.js';
import type { Target } from '../target/types.js';
import { redactSecrets } from '../util/redact.js';
import { unifiedDiff } from './diff.js';
import { tempPathOf } from './fs-ops.js';
import { CANDIDATE, type CommandAction, type FileChange, type FixPlan, type NewFileMeta } from './plan.js';
import { planCommand } from './command-plan.js';
import {
  PLANNED_FIX_VERSION,
  type LockoutFinding,
  type PlannedCommand,
  type PlannedFile,
  type PlannedFix,
  type PlannedRequirement,
  type PlannedValue,
  type PlannerOutput,
} from './planned.js';
import { sshdTreeArgv } from './sshd-tree.js';
import { writerFor } from './writers/index.js';

export interface PlannerInput {
  target: Target;
  /** The offline root's directory on this machine (host paths are under it), or null for this host. */
  rootDir: string | null;
  report: Report;
  /** The selected checks (--only/--skip applied): their recipes. */
  checks: readonly Check[];
  allowDisruptive: boolean;
  /** The run id apply will use: the sshd tree validator names the other candidates by it. */
  runId: string;
  /** The audit's configuration (writers find compose projects as the audit did); defaults otherwise. */
  config?: Config;
  /** Extra ids to leave out (beyond the selection). */
  skip?: ReadonlySet<string>;
}

const FAILING = new Set(['fail', 'warn']);
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Lines that carry a secret (Redis requirepass/masterauth, passwords, tokens, ACL >pass): the value is replaced. */
const SECRET_LINE =
  /^(\s*(?:[#;]\s*)?(?:requirepass|masterauth|masteruser|password|passwd|secret|token|api[_-]?key|auth[_-]?pass\w*|\w*_password|\w*_secret)\b\s*[=:]?\s*)(\S.*)$/i;
const ACL_PASS = /(\s)([>#][^\s]+)/g;

export function redactText(text: string, diff = false): { text: string; redacted: boolean } {
  let redacted = false;
  const out = text.split('\n').map((line) => {
    // In a unified diff the first column is the change mark: judge the line after it.
    const mark = diff && /^[-+ ]/.test(line) && !/^(---|\+\+\+) /.test(line) ? line[0]! : '';
    const l = line.slice(mark.length);
    const m = SECRET_LINE.exec(l);
    if (m) {
      redacted = true;
      return `${mark}${m[1]}<redacted>`;
    }
    if (/^\s*user\s+\S+/i.test(l) && /\s[>#]\S/.test(l)) {
      redacted = true;
      return mark + l.replace(ACL_PASS, '$1<redacted>');
    }
    // The shared redactor: a URL's user:password@ (compose DATABASE_URL), env assignments, secret options.
    const r = redactSecrets(l);
    if (r !== l) {
      redacted = true;
      return mark + r;
    }
    return line;
  });
  return { text: out.join('\n'), redacted };
}

interface Pending {
  content: Uint8Array;
  existed: boolean;
  original: Uint8Array | null;
  create?: NewFileMeta;
  setMeta?: NewFileMeta;
  validate?: readonly string[];
  services: Set<string>;
  for: Set<string>;
}

function octal(m: number): string {
  return `0${m.toString(8).padStart(3, '0')}`;
}

async function idOf(target: Target, file: '/etc/passwd' | '/etc/group', name: string): Promise<number | null> {
  if (/^\d+$/.test(name)) return Number(name);
  const r = await target.readText(file);
  if (!r.ok) return null;
  for (const l of r.text.split('\n')) {
    const f = l.split(':');
    if (f[0] === name && f[2] !== undefined && /^\d+$/.test(f[2])) return Number(f[2]);
  }
  return null;
}

/** One recipe's steps applied to a copy of the pending files: the copy, or why the recipe cannot be planned. */
async function planRecipe(
  input: PlannerInput,
  recipe: Recipe,
  id: string,
  files: Map<string, Pending>,
  findings: readonly Finding[] = [],
): Promise<
  | {
      ok: true;
      files: Map<string, Pending>;
      values: PlannedValue[];
      reload: string[][];
      notes: string[];
      commands: { action: CommandAction; undo: string }[];
    }
  | { ok: false; disposition: 'refused' | 'no-writer'; reason: string }
> {
  const { target } = input;
  const mode = input.rootDir === null ? 'live' : 'root';
  const next = new Map([...files].map(([k, v]) => [k, { ...v, services: new Set(v.services), for: new Set(v.for) }]));
  const values: PlannedValue[] = [];
  const reload: string[][] = [];
  const notes: string[] = [];
  const commands: { action: CommandAction; undo: string }[] = [];
  const current = async (path: string): Promise<{ content: Uint8Array | null; mode?: number; uid?: number; gid?: number }> => {
    const p = next.get(path);
    if (p) return { content: p.content };
    const b = await target.readBytes(path, { binaryOk: true });
    if (!b.ok) return { content: null };
    const st = await target.stat(path);
    return st.ok ? { content: b.bytes, mode: st.mode, uid: st.uid, gid: st.gid } : { content: b.bytes };
  };
  const put = async (path: string, content: Uint8Array, service: string, extra: Partial<Pending> = {}) => {
    const had = next.get(path);
    if (had) {
      next.set(path, { ...had, ...extra, content, services: had.services.add(service), for: had.for.add(id) });
      return;
    }
    const cur = await current(path);
    next.set(path, {
      content,
      existed: cur.content !== null,
      original: cur.content,
      ...extra,
      services: new Set([service]),
      for: new Set([id]),
    });
  };
  for (const step of recipe.steps) {
    if (step.kind === 'set-directive') {
      const writer = writerFor(step.service);
      if (!writer) return { ok: false, disposition: 'no-writer', reason: `no writer for ${step.service} yet` };
      const pending = new Map([...next].map(([k, v]) => [k, v.content]));
      const out = await writer.write({
        target,
        mode,
        step,
        pending,
        rootDir: input.rootDir,
        ...(input.config ? { config: input.config } : {}),
      });
      if (!out.ok) return { ok: false, disposition: 'refused', reason: out.refused };
      for (const c of out.result.changes)
        await put(c.path, c.content, step.service, {
          ...(c.create ? { create: c.create } : {}),
          ...(c.validate ? { validate: c.validate } : {}),
        });
      for (const r of out.result.reload) reload.push([...r]);
      notes.push(...out.result.notes);
      values.push({
        requirement: id,
        service: step.service,
        directive: step.directive,
        ...(step.section ? { section: step.section } : {}),
        before: out.result.before ?? null,
        after: out.result.after ?? step.value,
        decidedBy: out.result.decidedBy,
      });
    } else if (step.kind === 'ensure-line') {
      const cur = await current(step.path);
      if (cur.content === null) return { ok: false, disposition: 'refused', reason: `${step.path} does not exist` };
      const text = dec.decode(cur.content);
      const lines = text.replace(/\n$/, '').split('\n');
      if (lines.includes(step.line)) continue;
      const re = step.replaces ? new RegExp(step.replaces) : null;
      const at = re ? lines.findIndex((l) => re.test(l)) : -1;
      if (at >= 0) lines[at] = step.line;
      else lines.push(step.line);
      const validate = step.validate?.map((a) => a.split('{file}').join(CANDIDATE));
      await put(step.path, enc.encode(`${lines.join('\n')}\n`), 'file', validate ? { validate } : {});
    } else if (step.kind === 'file-mode') {
      const cur = await current(step.path);
      if (cur.content === null) return { ok: false, disposition: 'refused', reason: `${step.path} does not exist` };
      const had = next.get(step.path);
      const uid = step.owner !== undefined ? await idOf(target, '/etc/passwd', step.owner) : (had?.setMeta?.uid ?? cur.uid ?? null);
      const gid = step.group !== undefined ? await idOf(target, '/etc/group', step.group) : (had?.setMeta?.gid ?? cur.gid ?? null);
      if (uid === null || gid === null)
        return {
          ok: false,
          disposition: 'refused',
          reason: `${step.path}: owner ${step.owner ?? '?'} or group ${step.group ?? '?'} unknown on the target`,
        };
      const mode = parseInt(step.mode, 8);
      const curState = await target.stat(step.path);
      if (!had && curState.ok && curState.mode === mode && curState.uid === uid && curState.gid === gid) continue;
      await put(step.path, cur.content, 'file', { setMeta: { mode, uid, gid } });
    } else if (step.kind === 'tighten-modes') {
      const t = await tightenModes(target, step, findings, input.config?.app_executables ?? []);
      for (const c of t.changes) {
        const had = next.get(c.path);
        const content = had?.content ?? (await current(c.path)).content;
        if (content === null) continue;
        // Both steps only remove bits: an earlier step's mode and this one compose by AND.
        const mode = had?.setMeta ? had.setMeta.mode & c.mode : c.mode;
        await put(c.path, content, 'file', { setMeta: { mode, uid: had?.setMeta?.uid ?? c.uid, gid: had?.setMeta?.gid ?? c.gid } });
      }
      notes.push(...t.notes);
    } else {
      const c = await planCommand(target, step, id);
      if ('skip' in c) {
        notes.push(c.skip);
        continue;
      }
      if (mode === 'root')
        return {
          ok: false,
          disposition: 'refused',
          reason: `command step ${step.argv.join(' ')}: --root DIR --apply never runs host commands (run rampart fix on the host, or --emit sh)`,
        };
      commands.push(c);
    }
  }
  return { ok: true, files: next, values, reload, notes, commands };
}

/** Files a mode-only change rewrites whole (backup, temp, rename): larger ones are left to chmod by hand. */
const MAX_MODE_ONLY_BYTES = 16 * 1024 * 1024;

/** The mode-only changes of a tighten-modes step over a result's findings. */
export async function tightenModes(
  target: Target,
  step: TightenModesStep,
  findings: readonly Finding[],
  executables: readonly string[],
): Promise<{ changes: { path: string; mode: number; uid: number; gid: number }[]; notes: string[] }> {
  const keep = parseInt(step.keep, 8);
  const keepExec = step.keepExecutable ? parseInt(step.keepExecutable, 8) : keep;
  const changes: { path: string; mode: number; uid: number; gid: number }[] = [];
  const left: string[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    if (!f.path?.startsWith('/') || seen.has(f.path)) continue;
    seen.add(f.path);
    const st = await target.lstat(f.path);
    if (!st.ok) continue;
    if (st.type !== 'file' || st.size > MAX_MODE_ONLY_BYTES) {
      if (st.type !== 'symlink') left.push(f.path);
      continue;
    }
    const mode = st.mode & 0o7777;
    const next = mode & (executables.includes(f.path) ? keepExec : keep);
    if (next !== mode) changes.push({ path: f.path, mode: next, uid: st.uid, gid: st.gid });
  }
  const notes = left.length
    ? [
        `${left.length} path(s) not changed (directories, other types or files over 16 MiB: chmod by hand), e.g. ${left.slice(0, 3).join(', ')}`,
      ]
    : [];
  return { changes, notes };
}

/** Where the apply engine writes a target path: the Target is read-only, so fixing an offline root or this host writes its files directly (FixPlan paths). */
function fileToWrite(rootDir: string | null, path: string): string {
  return rootDir === null ? path : join(rootDir, path);
}

export async function planFixes(input: PlannerInput): Promise<PlannerOutput> {
  const byId = new Map(input.checks.map((c) => [c.id, c]));
  const requirements: PlannedRequirement[] = [];
  let files = new Map<string, Pending>();
  const values: PlannedValue[] = [];
  const reloads: string[][] = [];
  const notes: string[] = [];
  const commandSteps: { action: CommandAction; undo: string }[] = [];
  const covered = new Set<string>();
  let risk: RiskTier = 'safe';
  for (const r of input.report.results) {
    const check = byId.get(r.id);
    if (!check?.fix || !FAILING.has(r.status) || input.skip?.has(r.id) || covered.has(r.id)) continue;
    const recipe = check.fix;
    const base = {
      id: r.id,
      title: r.title,
      status: r.status,
      risk: recipe.risk,
      steps: recipe.steps,
      ...(recipe.note ? { note: recipe.note } : {}),
    };
    if (recipe.risk === 'disruptive' && !input.allowDisruptive) {
      requirements.push({ ...base, disposition: 'skipped-disruptive', reason: 'disruptive: needs --allow-disruptive' });
      continue;
    }
    const out = await planRecipe(input, recipe, r.id, files, r.findings);
    if (!out.ok) {
      requirements.push({ ...base, disposition: out.disposition, reason: out.reason });
      continue;
    }
    files = out.files;
    values.push(...out.values);
    reloads.push(...out.reload);
    notes.push(...out.notes);
    commandSteps.push(...out.commands);
    for (const f of recipe.fixes) covered.add(f);
    if (recipe.risk === 'disruptive') risk = 'disruptive';
    requirements.push({ ...base, disposition: 'planned' });
  }

  // Drop files the steps left as they were (a directive already set, composed back).
  for (const [p, f] of files)
    if (f.original !== null && Buffer.from(f.original).equals(Buffer.from(f.content)) && !f.setMeta) files.delete(p);

  // sshd: the last sshd file is validated with the whole candidate tree (src/fix/sshd-tree.ts).
  const sshdPaths = [...files].filter(([, f]) => f.services.has('sshd')).map(([p]) => p);
  if (sshdPaths.length) {
    const last = sshdPaths[sshdPaths.length - 1]!;
    for (const p of sshdPaths) delete files.get(p)!.validate;
    files.get(last)!.validate = sshdTreeArgv(
      input.rootDir ?? '/',
      sshdPaths.map((p) => [p, p === last ? CANDIDATE : tempPathOf(fileToWrite(input.rootDir, p), input.runId, 'new')] as const),
    );
  }

  const plannedFiles: PlannedFile[] = [];
  const changes: FileChange[] = [];
  for (const [path, f] of files) {
    const a = f.original === null ? null : redactText(dec.decode(f.original));
    const b = redactText(dec.decode(f.content));
    const contentChanged = f.original === null || !Buffer.from(f.original).equals(Buffer.from(f.content));
    const diff = contentChanged
      ? unifiedDiff(path, { label: 'current', content: a ? enc.encode(a.text) : null }, { label: 'fixed', content: enc.encode(b.text) })
      : '';
    const meta = f.setMeta ?? f.create;
    const isSshd = f.services.has('sshd');
    plannedFiles.push({
      path,
      action: f.original === null ? 'create' : contentChanged ? 'modify' : 'mode',
      diff,
      contentRedacted: b.text,
      redacted: b.redacted,
      ...(meta ? { mode: octal(meta.mode), owner: String(meta.uid), group: String(meta.gid) } : {}),
      // The service's own checker as a standalone argv (what --emit uses); sshd: the main file through sshd -t.
      ...(isSshd
        ? { validate: ['sshd', '-t', '-f', path === '/etc/ssh/sshd_config' ? CANDIDATE : '/etc/ssh/sshd_config'] }
        : f.validate
          ? { validate: f.validate }
          : {}),
      for: [...f.for],
    });
    changes.push({
      path: fileToWrite(input.rootDir, path),
      content: f.content,
      ...(f.create ? { create: f.create } : {}),
      ...(f.setMeta ? { setMeta: f.setMeta } : {}),
      ...(f.validate ? { validate: f.validate } : {}),
    });
  }
  const seen = new Set<string>();
  const reload = input.rootDir === null ? reloads.filter((r) => !seen.has(r.join('\0')) && seen.add(r.join('\0'))) : [];
  const commands: PlannedCommand[] = [
    ...commandSteps.map(({ action, undo }): PlannedCommand => ({
      argv: action.argv,
      purpose: action.purpose,
      kind: 'step',
      ...(action.requirement ? { requirement: action.requirement } : {}),
      undo,
      ...(action.timeoutMs ? { timeoutMs: action.timeoutMs } : {}),
    })),
    ...reload.map((argv) => ({ argv, purpose: `reload after the change`, kind: 'reload' as const })),
  ];
  const planned: PlannedFix = {
    schemaVersion: PLANNED_FIX_VERSION,
    host: input.report.target?.name ?? input.target.name,
    mode: input.rootDir === null ? 'live' : 'root',
    root: input.rootDir,
    auditedAt: input.report.collectedAt ?? '',
    requirements,
    files: plannedFiles,
    values,
    commands,
    notes,
    lockout: [] as LockoutFinding[],
    risk,
    refused: changes.length === 0 && commandSteps.length === 0 ? 'nothing to change' : null,
  };
  const plan: FixPlan | null =
    changes.length || commandSteps.length
      ? {
          host: planned.host,
          changes,
          reload: reload.map((argv) => ({ argv })),
          ...(commandSteps.length ? { commands: commandSteps.map((c) => c.action) } : {}),
        }
      : null;
  return { planned, plan, commandSteps: commands.filter((c) => c.kind === 'step') };
}

export type { RecipeStep };
