import type { Target } from '../../target/types.js';
import { parseMountinfo, type MountEntry } from '../parse/mountinfo.js';

const MOUNTINFO = '/proc/self/mountinfo';

export type MountTable =
  | { ok: true; mounts: MountEntry[]; source: { path: string } }
  /** Offline (an image has no running kernel: no mount table), unreadable, or empty. */
  | { ok: false; reason: string; offline: boolean };

/** The target's mount table (proc_pid_mountinfo(5)), read through the Target: the audited machine's, not this one's. */
export async function readMounts(t: Target): Promise<MountTable> {
  if (!t.live) return { ok: false, reason: 'offline root: no running kernel, so no mount table', offline: true };
  // Target.mountTable reads procfs to the end (its files report size 0).
  const r = await t.mountTable();
  if (!r.ok) return { ok: false, reason: `${MOUNTINFO} is unreadable: ${r.message}`, offline: false };
  const parsed = parseMountinfo(r.text);
  if (parsed.mounts.length === 0)
    return {
      ok: false,
      reason: `${MOUNTINFO} lists no mounts${parsed.errors[0] ? ` (${parsed.errors[0].message})` : ''}`,
      offline: false,
    };
  return { ok: true, mounts: parsed.mounts, source: { path: MOUNTINFO } };
}
