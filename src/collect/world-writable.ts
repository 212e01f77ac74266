import { collected, failed } from '../facts/fact.js';
import { parseMountinfo, type MountEntry } from './parse/mountinfo.js';
import { hostMountinfoText, planScan, scanWithFind, scanWithWalker } from './scan/world-writable.js';
import { defineCollector } from './types.js';

/**
 * World-writable files and directories on the local file systems (see planScan for what is left
 * out and why). GNU find does the walk (measured ≈ as fast as a bare find; the built-in walker,
 * used when find is missing, is 1.5–2.5× slower).
 */
export const worldWritableCollector = defineCollector({
  key: 'worldWritable',
  gathers: { paths: ['/'] },
  async collect(ctx) {
    const t = ctx.target;
    const root = await t.hostPath('/');
    if (!root.ok) return failed(`cannot resolve the target root: ${root.message}`);
    let mounts: MountEntry[] = [];
    if (t.live) {
      // Read directly: FsTarget.readText trusts st_size, which procfs reports as 0 (core issue).
      const text = hostMountinfoText();
      if (text === null) return failed('cannot tell local from pseudo and network file systems: /proc/self/mountinfo is unreadable');
      const parsed = parseMountinfo(text);
      if (parsed.mounts.length === 0)
        return failed(`/proc/self/mountinfo lists no mounts${parsed.errors[0] ? ` (${parsed.errors[0].message})` : ''}`);
      mounts = parsed.mounts;
    } else {
      const text = hostMountinfoText();
      if (text !== null) mounts = parseMountinfo(text).mounts;
    }
    const plan = planScan(root.path, t.live, mounts);
    const timeoutMs = Math.max(ctx.commandTimeoutMs * 4, 30_000);
    let r = await scanWithFind(plan, { timeoutMs });
    if (!r.ok && r.notFound) r = await scanWithWalker(plan, { timeoutMs });
    if (!r.ok) return failed(r.message);
    return collected({ ...r.outcome, excluded: plan.excluded });
  },
});
