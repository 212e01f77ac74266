// Shared by the service writers: last-value-wins line edits that keep every other byte, and reading a
// file through the Target with a pending change of the same plan taking precedence.
import type { Target } from '../../target/types.js';
import type { WriterInput } from './types.js';

/** Marks a line a writer commented out, so the operator (and rollback's diff) sees why. */
export const MARKER = '# rampart:';

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

export type Current = { exists: true; text: string } | { exists: false } | { error: string };

/** The file as the plan sees it: an earlier step's pending content, else the target's. */
export async function currentText(target: Target, pending: WriterInput['pending'], path: string): Promise<Current> {
  const p = pending.get(path);
  if (p) {
    try {
      return { exists: true, text: dec.decode(p) };
    } catch {
      return { error: `${path}: pending content is not UTF-8` };
    }
  }
  const r = await target.readText(path);
  if (r.ok) return { exists: true, text: r.text };
  if (r.error === 'missing') return { exists: false };
  return { error: r.message };
}

export const bytes = (s: string): Uint8Array => enc.encode(s);

export interface LastWinsEdit {
  text: string;
  /** 1-based line that now decides. */
  line: number;
  /** Lines commented out (1-based, in the new text). */
  commented: number[];
  /** The old deciding line's text, when there was one. */
  before: string | null;
}

/**
 * For a format where the last occurrence of a directive wins (Redis, login.defs, PostgreSQL): the last
 * occurrence is replaced in place by `newLine` unless a line after it can bring in other files
 * (`barrier`: an include), then it goes at the end; every other occurrence is commented out with
 * MARKER. Every other line stays byte-identical.
 */
export function setLastWins(
  text: string,
  isDirective: (line: string) => boolean,
  newLine: string,
  barrier: (line: string) => boolean = () => false,
): LastWinsEdit {
  const lines = text.split('\n');
  const hits = lines.flatMap((l, i) => (isDirective(l) ? [i] : []));
  const last = hits[hits.length - 1];
  const before = last === undefined ? null : lines[last]!;
  const inPlace = last !== undefined && !lines.slice(last + 1).some(barrier);
  const commented: number[] = [];
  for (const i of hits) {
    if (inPlace && i === last) continue;
    lines[i] = `${MARKER} ${lines[i]!}`;
    commented.push(i + 1);
  }
  if (inPlace) {
    lines[last] = newLine;
    return { text: lines.join('\n'), line: last + 1, commented, before };
  }
  const endsNl = text === '' || text.endsWith('\n');
  const body = lines.join('\n');
  const out = `${body}${endsNl ? '' : '\n'}${newLine}\n`;
  const line = out.split('\n').length - 1;
  return { text: out, line, commented, before };
}

export function notesOf(path: string, e: LastWinsEdit): string[] {
  return e.commented.length > 0 ? [`${path}: earlier values commented out (${MARKER}) at line ${e.commented.join(', ')}`] : [];
}

/** A file a writer creates: root-owned, world-readable (configuration files of these services are). */
export const CONFIG_FILE = { mode: 0o644, uid: 0, gid: 0 } as const;
