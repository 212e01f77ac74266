import { defineCheck } from '../define.js';
import { fail, pass, unknown, type Evidence } from '../verdict.js';

const STICKY = 0o1000;
const MAX_EVIDENCE = 200;

export default defineCheck({
  id: 'fs.no-world-writable',
  remediation: 'Remove the write bit for others (chmod o-w PATH); give shared directories the sticky bit (chmod +t DIR).',
  fix: {
    fixes: ['fs.no-world-writable'],
    risk: 'safe',
    steps: [{ kind: 'tighten-modes', keep: '07775' }],
    note: "Removes the others' write bit of the files found; a world-writable directory is listed (chmod o-w, or +t where it is shared).",
  },
  needs: ['worldWritable'],
  evaluate({ worldWritable: w }) {
    const bad = w.entries.filter((e) => e.type === 'file' || (parseInt(e.mode, 8) & STICKY) === 0);
    const stickyDirs = w.entries.length - bad.length;
    const how: Evidence = {
      command: w.command,
      message: `scanned ${w.roots.join(', ')}; left out ${w.excluded.map((x) => `${x.path} (${x.fstype})`).join(', ') || 'nothing'}`,
    };
    const ev: Evidence[] = bad.slice(0, MAX_EVIDENCE).map((e) => ({
      path: e.path,
      message: `world-writable ${e.type === 'dir' ? 'directory without the sticky bit' : 'file'}, mode ${e.mode}, uid ${e.uid}${e.rawBase64 ? ` (name not UTF-8; exact bytes base64 ${e.rawBase64})` : ''}`,
    }));
    if (bad.length > MAX_EVIDENCE) ev.push({ note: `${bad.length - MAX_EVIDENCE} more not listed here (see the facts)` });
    const partial =
      w.notScannedCount > 0
        ? `; ${w.notScannedCount} part(s) could not be scanned (first: ${w.notScanned[0]?.path ?? '?'}: ${w.notScanned[0]?.reason ?? '?'})`
        : '';
    const trunc = w.truncated ? `; the scan stopped at ${w.cap} entries (truncated)` : '';
    if (bad.length > 0) {
      const files = bad.filter((e) => e.type === 'file').length;
      return fail(
        `${files} world-writable file(s) and ${bad.length - files} world-writable director${bad.length - files === 1 ? 'y' : 'ies'} without the sticky bit, e.g. ${JSON.stringify(bad[0]!.path)} (${bad[0]!.mode})${trunc}${partial}`,
        [...ev, how],
      );
    }
    if (w.truncated || w.notScannedCount > 0)
      return unknown(`No world-writable file found in what was scanned, but the scan is incomplete${trunc}${partial}`, [
        how,
        ...w.notScanned.slice(0, 20).map((n) => ({ path: n.path, message: `not scanned: ${n.reason}` })),
      ]);
    return pass(
      `No world-writable file; ${stickyDirs} world-writable director${stickyDirs === 1 ? 'y has' : 'ies have'} the sticky bit`,
      how,
    );
  },
});
