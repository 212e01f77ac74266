import { defineCheck } from '../define.js';
import { fail, manual, pass, warn, type Evidence } from '../verdict.js';

export default defineCheck({
  id: 'backup.integrity',
  remediation:
    'Write a SHA256SUMS manifest beside each backup when it is made (sha256sum FILE > FILE.sha256) and verify it on a schedule, or schedule `restic check` / `borg check` for repositories.',
  needs: ['backups'],
  evaluate({ backups: b }) {
    const checks = b.repositoryChecks;
    const checkEv: Evidence[] = checks.map((c) => ({
      ...c.source,
      message: `${c.tool} check ${c.scheduled ? 'scheduled' : 'configured'}`,
    }));
    if (b.locations.length === 0) {
      // A check that is written down but never runs verifies nothing: only a scheduled one passes.
      const scheduled = checks.filter((c) => c.scheduled);
      if (scheduled.length > 0) return pass(`a repository check is scheduled: ${scheduled.map((c) => c.tool).join(', ')}`, checkEv);
      return checks.length > 0
        ? warn(`a repository check is configured but not scheduled (${checks.map((c) => c.tool).join(', ')}): nothing runs it`, checkEv)
        : manual('no backup location is configured (backup_dirs) and no restic/borg check is scheduled');
    }
    const bad: Evidence[] = [];
    const ok: Evidence[] = [];
    const uncovered: Evidence[] = [];
    for (const l of b.locations) {
      if (l.state !== 'ok') bad.push({ path: l.dir, message: `backup location ${l.state}: ${l.detail ?? ''}` });
      const listed = new Set<string>();
      for (const m of l.manifests) {
        for (const e of m.entries) {
          listed.add(e.path);
          const at: Evidence = { path: m.path, line: e.line, excerpt: `${e.expected}  ${e.name}` };
          if (e.status === 'ok') ok.push({ ...at, message: `${e.path}: checksum verifies` });
          else if (e.status === 'mismatch')
            bad.push({
              ...at,
              message: `${e.path}: SHA-256 is ${e.actual ?? '?'}, the manifest says ${e.expected} (corrupted or changed)`,
            });
          else
            bad.push({
              ...at,
              message: `${e.path} is listed in the manifest but ${e.status === 'missing' ? 'missing' : `unreadable: ${e.detail ?? ''}`}`,
            });
        }
        for (const x of m.errors) bad.push({ path: m.path, line: x.line, message: `manifest line ${x.line}: ${x.message}` });
      }
      for (const f of l.files) if (!listed.has(f.path)) uncovered.push({ path: f.path, message: 'no checksum manifest lists this file' });
      for (const r of l.repositories) {
        const c = checks.find((x) => x.tool === r.tool || (r.tool === 'borg' && x.tool === 'borgmatic'));
        if (c?.scheduled) ok.push({ ...c.source, message: `${r.tool} repository ${r.path}: ${c.tool} check scheduled` });
        else if (c)
          uncovered.push({
            ...c.source,
            path: r.path,
            message: `${r.tool} repository: a ${c.tool} check is written (${c.source.path ?? '?'}${c.source.line ? `:${c.source.line}` : ''}) but no schedule runs it`,
          });
        else uncovered.push({ path: r.path, message: `${r.tool} repository with no ${r.tool} check in a schedule` });
      }
    }
    const named = (e: Evidence[]) =>
      e
        .slice(0, 5)
        .map((x) => x.message)
        .join('; ');
    if (bad.length > 0) return fail(`backup integrity does not verify: ${named(bad)}`, [...bad, ...uncovered]);
    if (uncovered.length > 0)
      return fail(
        `${uncovered.length} backup(s) have no checksum manifest or repository check: ${uncovered
          .slice(0, 5)
          .map((x) => x.path)
          .join(', ')}`,
        uncovered,
      );
    if (ok.length === 0)
      return warn(
        `no backup found to verify in ${b.locations.map((l) => l.dir).join(', ')}`,
        b.locations.map((l) => ({ path: l.dir, message: 'no backup files' })),
      );
    return pass(`${ok.length} backup(s) verify now (checksum manifests recomputed, repository checks scheduled)`, ok);
  },
});
