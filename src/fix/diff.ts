// Unified diffs of file contents (the diff library), for plans and rollback's three-way difference.
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from 'diff';

export interface Version {
  label: string;
  /** null: the file does not exist. */
  content: Uint8Array | null;
  meta?: { mode: number; uid: number; gid: number } | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function asText(b: Uint8Array): string | null {
  if (b.includes(0)) return null;
  try {
    return utf8.decode(b);
  } catch {
    return null;
  }
}

function metaText(m: Version['meta']): string {
  return m ? `mode ${m.mode.toString(8).padStart(4, '0')} owner ${m.uid}:${m.gid}` : 'absent';
}

/** `--- a` / `+++ b` unified diff of two versions of `path` ('' when identical); binary content is named, not shown. */
export function unifiedDiff(path: string, a: Version, b: Version): string {
  const lines: string[] = [];
  if (a.meta !== undefined && b.meta !== undefined && metaText(a.meta) !== metaText(b.meta))
    lines.push(`${path}: ${a.label} ${metaText(a.meta)}, ${b.label} ${metaText(b.meta)}\n`);
  const same = a.content === null ? b.content === null : b.content !== null && Buffer.from(a.content).equals(Buffer.from(b.content));
  if (same) return lines.join('');
  const ta = a.content === null ? '' : asText(a.content);
  const tb = b.content === null ? '' : asText(b.content);
  if (ta === null || tb === null) {
    lines.push(`Binary ${path} differs (${a.label} → ${b.label})\n`);
    return lines.join('');
  }
  const nameA = a.content === null ? '/dev/null' : path;
  const nameB = b.content === null ? '/dev/null' : path;
  lines.push(createTwoFilesPatch(nameA, nameB, ta, tb, a.label, b.label, { context: 3, headerOptions: FILE_HEADERS_ONLY }));
  return lines.join('');
}

/** The three-way difference rollback shows for a file changed after the fix: original → as fixed, as fixed → now. */
export function threeWayDiff(path: string, original: Version, fixed: Version, now: Version): string {
  return [unifiedDiff(path, original, fixed), unifiedDiff(path, fixed, now)].filter((s) => s !== '').join('');
}
