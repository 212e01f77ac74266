import type { Target } from '../../target/types.js';

export interface ProcessInfo {
  pid: number;
  /** Short name from /proc/PID/comm. */
  comm: string;
  /** Command line (argv), NUL-separated in /proc/PID/cmdline. */
  argv: string[];
  uid: number | null;
}

/**
 * The processes of a live target, from /proc; null offline or when /proc cannot be listed (a recorded
 * payload without the listing, a refused read): "unknown", never "none run". Processes that exit while being read are
 * left out. Read once per collection run by the host layer (host/index.ts): collectors ask `processes()`.
 */
export function listProcesses(target: Target): Promise<ProcessInfo[] | null> {
  return target.live ? readProcesses(target) : Promise.resolve(null);
}

async function readProcesses(target: Target): Promise<ProcessInfo[] | null> {
  const l = await target.list('/proc');
  if (!l.ok) return null;
  const pids = l.entries.filter((e) => /^\d+$/.test(e.name)).map((e) => Number(e.name));
  const out = await Promise.all(
    pids.map(async (pid): Promise<ProcessInfo | null> => {
      const [cmd, comm, status] = await Promise.all([
        target.readBytes(`/proc/${pid}/cmdline`, { binaryOk: true, maxBytes: 256 * 1024 }),
        target.readText(`/proc/${pid}/comm`, { maxBytes: 4096 }),
        target.readText(`/proc/${pid}/status`, { maxBytes: 64 * 1024 }),
      ]);
      if (!comm.ok) return null;
      const argv = cmd.ok
        ? cmd.bytes
            .toString('utf8')
            .split('\0')
            .filter((a, i, all) => a !== '' || i < all.length - 1)
        : [];
      const uidLine = status.ok ? /^Uid:\s+(\d+)/m.exec(status.text) : null;
      return { pid, comm: comm.text.trim(), argv, uid: uidLine ? Number(uidLine[1]) : null };
    }),
  );
  return out.filter((p): p is ProcessInfo => p !== null).sort((a, b) => a.pid - b.pid);
}
