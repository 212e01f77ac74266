// The sshd writer (issue 12): a set-directive step → one drop-in that sorts first.
//
// sshd takes the first value it reads for a keyword, so the directive goes into
// /etc/ssh/sshd_config.d/00-rampart.conf, read through the main file's `Include sshd_config.d/*.conf`.
// When the main file has no such Include (before any Match), the Include line is added at the top of the
// main file. Every other line of the include tree that sets the same keyword, globally or in a Match block,
// to another value is neutralised: commented in place as `# rampart: <line>` (layout kept), and reported.
// Lines already giving the wanted value are left alone. Validation is not per file: the planner gives
// the last sshd file of a plan the tree validator (src/fix/sshd-tree.ts), which checks the whole
// candidate tree with `sshd -t`.
import { readFileSync } from 'node:fs';
import { NO_CONNECTION, effectiveSshd, loadSshdModel, type SshdFileAccess, type SshdModel } from '../../collect/parse/sshd-model.js';
import { OPENSSH_9_2_DEFAULTS } from '../../collect/parse/sshd-defaults.js';
import { SSHD_ALIASES, SSHD_KEYWORDS_9_2 } from '../../collect/parse/sshd-keywords.js';
import { sshdFileAccess } from '../../collect/sshd.js';
import type { Target } from '../../target/types.js';
import type { DirectiveWriter, WriterChange, WriterInput, WriterOutcome } from './types.js';

export const SSHD_MAIN = '/etc/ssh/sshd_config';
export const SSHD_DROPIN_DIR = '/etc/ssh/sshd_config.d';
export const SSHD_DROPIN = `${SSHD_DROPIN_DIR}/00-rampart.conf`;
export const MARKER = '# rampart:';
const HEADER = '# Written by rampart fix: the first value sshd reads wins, so this file sorts first.\n';

const enc = new TextEncoder();
const dec = new TextDecoder();

function globRegex(pattern: string): RegExp {
  const esc = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${esc}$`);
}

/** The target's files with the plan's pending contents laid over them (a new drop-in is globbed too). */
export function overlayAccess(target: Target, pending: ReadonlyMap<string, Uint8Array>): SshdFileAccess {
  const base = sshdFileAccess(target);
  return {
    async read(path) {
      const p = pending.get(path);
      return p ? { ok: true, text: dec.decode(p) } : base.read(path);
    },
    async glob(pattern) {
      const found = new Set(await base.glob(pattern));
      const re = globRegex(pattern);
      for (const p of pending.keys()) if (re.test(p)) found.add(p);
      return [...found].sort();
    },
  };
}

export function canonicalKeyword(directive: string): string | null {
  const lower = directive.toLowerCase();
  const k = SSHD_ALIASES[lower] ?? lower;
  return SSHD_KEYWORDS_9_2[k] ? k : null;
}

async function textOf(path: string, input: WriterInput): Promise<string | null> {
  const p = input.pending.get(path);
  if (p) return dec.decode(p);
  const r = await input.target.readText(path);
  return r.ok ? r.text : null;
}

/** Whether the main file includes the drop-in directory's *.conf before any Match line. */
function includesDropins(main: string): boolean {
  for (const raw of main.split('\n')) {
    const l = raw.trim();
    if (/^match\s/i.test(l)) return false;
    const m = /^include\s+(.*)$/i.exec(l);
    if (m && m[1]!.split(/\s+/).some((a) => a === 'sshd_config.d/*.conf' || a === `${SSHD_DROPIN_DIR}/*.conf`)) return true;
  }
  return false;
}

function valueOf(value: string): string {
  return /\s/.test(value) && !/^".*"$/.test(value) ? value : value;
}

/** The drop-in with `Directive value` set (an existing line for the keyword replaced), and its line number. */
function setInDropin(current: string | null, display: string, keyword: string, value: string): { text: string; line: number } {
  const lines = (current ?? HEADER).replace(/\n$/, '').split('\n');
  const idx = lines.findIndex((l) => {
    const m = /^\s*(\S+)/.exec(l);
    return m !== null && !m[1]!.startsWith('#') && canonicalKeyword(m[1]!) === keyword;
  });
  const line = `${display} ${valueOf(value)}`;
  if (idx >= 0) lines[idx] = line;
  else lines.push(line);
  return { text: `${lines.join('\n')}\n`, line: (idx >= 0 ? idx : lines.length - 1) + 1 };
}

function comment(text: string, lineNo: number): string {
  const lines = text.split('\n');
  const l = lines[lineNo - 1];
  if (l === undefined || l.trimStart().startsWith('#')) return text;
  const indent = /^\s*/.exec(l)![0];
  lines[lineNo - 1] = `${indent}${MARKER} ${l.slice(indent.length)}`;
  return lines.join('\n');
}

function sameValue(args: string[], value: string): boolean {
  return args.join(' ').toLowerCase() === value.toLowerCase();
}

export async function loadModel(target: Target, pending: ReadonlyMap<string, Uint8Array>): Promise<SshdModel> {
  return loadSshdModel(SSHD_MAIN, overlayAccess(target, pending), OPENSSH_9_2_DEFAULTS);
}

/** Reload sshd: through systemd where it is PID 1 (only if running), else the init script. */
export function sshdReload(): string[] {
  let systemd = false;
  try {
    systemd = readFileSync('/proc/1/comm', 'utf8').trim() === 'systemd';
  } catch {
    /* no /proc */
  }
  return systemd ? ['systemctl', 'try-reload-or-restart', 'ssh'] : ['service', 'ssh', 'reload'];
}

export const sshdWriter: DirectiveWriter = {
  service: 'sshd',
  async write(input: WriterInput): Promise<WriterOutcome> {
    const { step } = input;
    const keyword = canonicalKeyword(step.directive);
    if (!keyword) return { ok: false, refused: `sshd has no keyword ${step.directive}` };
    const main = await textOf(SSHD_MAIN, input);
    if (main === null) return { ok: false, refused: `${SSHD_MAIN} cannot be read: sshd is not configured here` };
    const model = await loadModel(input.target, input.pending);
    const unreadable = model.problems.filter((p) => p.kind === 'unreadable' && p.line === null);
    if (unreadable.length)
      return { ok: false, refused: `not every sshd file can be read (${unreadable[0]!.message}): the result could not be predicted` };
    const before = effectiveSshd(model, NO_CONNECTION, { users: [], groups: [] }, OPENSSH_9_2_DEFAULTS)[keyword];
    const notes: string[] = [];
    const texts = new Map<string, string>();
    const get = async (p: string) => texts.get(p) ?? (await textOf(p, input));

    const dirSt = await input.target.stat(SSHD_DROPIN_DIR);
    const dirOk = dirSt.ok && dirSt.type === 'dir';
    let decided: { path: string; line: number };
    if (dirOk) {
      if (!includesDropins(main)) {
        texts.set(SSHD_MAIN, `# rampart: drop-ins first (the first value sshd reads wins)\nInclude ${SSHD_DROPIN_DIR}/*.conf\n${main}`);
        notes.push(`${SSHD_MAIN}: no Include of ${SSHD_DROPIN_DIR}/*.conf before any Match: added at the top`);
      }
      const d = setInDropin(await get(SSHD_DROPIN), step.directive, keyword, step.value);
      texts.set(SSHD_DROPIN, d.text);
      decided = { path: SSHD_DROPIN, line: d.line };
    } else {
      // No drop-in directory: the line goes at the top of the main file, before any Match.
      const cur = texts.get(SSHD_MAIN) ?? main;
      texts.set(SSHD_MAIN, `${step.directive} ${step.value}\n${cur}`);
      decided = { path: SSHD_MAIN, line: 1 };
      notes.push(`${SSHD_DROPIN_DIR} does not exist: ${step.directive} set at the top of ${SSHD_MAIN}`);
    }
    // The main file's own lines move down when lines are added at its top.
    const shift = (p: string) => (p === SSHD_MAIN ? texts.get(SSHD_MAIN)!.split('\n').length - main.split('\n').length : 0);
    const mainShift = texts.has(SSHD_MAIN) ? shift(SSHD_MAIN) : 0;
    for (const d of model.directives) {
      if (d.keyword !== keyword || d.path === SSHD_DROPIN) continue;
      if (sameValue(d.args, step.value)) continue;
      const t = await get(d.path);
      if (t === null) continue;
      texts.set(d.path, comment(t, d.line + (d.path === SSHD_MAIN ? mainShift : 0)));
      const where =
        d.block !== null ? ` in ${model.blocks[d.block]!.text} (${model.blocks[d.block]!.path}:${model.blocks[d.block]!.line})` : '';
      notes.push(
        `${d.path}:${d.line}: "${d.text}"${where} would override or contradict ${step.directive} ${step.value}: commented out (${MARKER})`,
      );
    }
    const changes: WriterChange[] = [];
    for (const [path, text] of texts) {
      const existing = input.pending.get(path) ?? null;
      const cur = existing ? dec.decode(existing) : await textOf(path, input);
      if (cur === text) continue;
      const change: WriterChange = { path, content: enc.encode(text) };
      if (cur === null) change.create = { mode: 0o644, uid: 0, gid: 0 };
      changes.push(change);
    }
    return {
      ok: true,
      result: {
        changes,
        reload: input.mode === 'live' ? [sshdReload()] : [],
        decidedBy: decided,
        ...(before
          ? { before: `${before.value} (${before.source.path ? `${before.source.path}:${before.source.line}` : 'default'})` }
          : {}),
        notes,
      },
    };
  },
};
