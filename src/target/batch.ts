import { posix } from 'node:path';
import type { BatchRequest, BatchResult, EachOps, EachResult, Target } from './types.js';

/**
 * A batch answered by the target's own calls, all started at once: what a target on this machine
 * does (its calls cost no round trip). Each answer is exactly the call's, since it is the call.
 */
export async function batchByCalls(
  t: Target,
  requests: readonly BatchRequest[],
  onResult?: (index: number, result: BatchResult) => void,
): Promise<BatchResult[]> {
  return Promise.all(
    requests.map(async (r, i) => {
      const result = await answer(t, r);
      onResult?.(i, result);
      return result;
    }),
  );
}

async function answer(t: Target, r: BatchRequest): Promise<BatchResult> {
  switch (r.op) {
    case 'read':
      return { op: r.op, result: await t.readBytes(r.path, r.opts) };
    case 'stat':
      return { op: r.op, result: await t.stat(r.path) };
    case 'lstat':
      return { op: r.op, result: await t.lstat(r.path) };
    case 'realPath':
      return { op: r.op, result: await t.realPath(r.path) };
    case 'list': {
      const result = await t.list(r.path);
      const paths = result.ok ? result.entries.map((e) => posix.join(r.path, e.name)) : [];
      const each = r.each ? await eachOf(t, paths, r.each) : [];
      const depth = r.depth ?? 1;
      if (depth > 1) {
        // The subdirectories all at once (a remote target sends each level of the tree in one wave),
        // their entries appended in the order of the listing as before.
        const dirs = each.filter((e) => e.stat?.ok && e.stat.type === 'dir' && !r.skip?.includes(posix.basename(e.path)));
        const subs = await Promise.all(dirs.map((e) => answer(t, { ...r, path: e.path, depth: depth - 1 })));
        dirs.forEach((e, i) => {
          const sub = subs[i] as BatchResult;
          if (sub.op !== 'list') return;
          e.list = sub.result;
          each.push(...sub.each);
        });
      }
      return { op: r.op, result, each };
    }
    case 'glob': {
      const result = await t.glob(r.pattern);
      return { op: r.op, result, each: r.each ? await eachOf(t, result, r.each) : [] };
    }
    case 'run':
      return { op: r.op, result: await t.run(r.argv, r.opts) };
  }
}

function eachOf(t: Target, paths: readonly string[], ops: EachOps): Promise<EachResult[]> {
  return Promise.all(
    paths.map(async (path) => {
      // lstat, stat and read at once: one wave on a remote target, not three.
      const [lstat, stat, read] = await Promise.all([
        ops.lstat ? t.lstat(path) : undefined,
        ops.stat ? t.stat(path) : undefined,
        ops.read !== undefined ? t.readBytes(path, { maxBytes: ops.read, binaryOk: true }) : undefined,
      ]);
      const out: EachResult = { path };
      if (lstat !== undefined) out.lstat = lstat;
      if (stat !== undefined) out.stat = stat;
      if (read !== undefined) out.read = read;
      return out;
    }),
  );
}
