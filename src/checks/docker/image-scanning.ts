import { defineCheck } from '../define.js';
import { fail, manual, na, pass, unknown, type Evidence } from '../verdict.js';
import type { ScanReport } from '../../facts/docker.js';

const DAY_MS = 86_400_000;

/** Whether a report is about an image reference (name[:tag][@digest]) or image id; docker.io/library/ and :latest are implied. */
function covers(r: ScanReport, image: string): boolean {
  const norm = (s: string) => {
    const x = s.replace(/^docker\.io\/(library\/)?/, '');
    return /[:@]/.test(x.split('/').pop() ?? '') ? x : `${x}:latest`;
  };
  if (/^sha256:/.test(image)) return r.imageId === image;
  const digest = /@(sha256:[0-9a-f]{64})$/.exec(image)?.[1];
  if (digest && (r.repoDigests.some((d) => d.endsWith(`@${digest}`)) || r.imageId === digest)) return true;
  return norm(r.artifact) === norm(image);
}

export default defineCheck({
  id: 'docker.image-scanning',
  remediation:
    'Scan every deployed image at least every periods.image_scan days (e.g. `trivy image --format json -o /var/lib/trivy/reports/NAME.json IMAGE`), or attest where scanning runs (registry, CI).',
  needs: ['docker'],
  evaluate({ docker: d }, ctx) {
    const period = ctx.config.periods.image_scan;
    const images = [...new Set(d.workloads.map((w) => w.settings.image.value).filter((i): i is string => i !== null))];
    if (images.length === 0) return na('No deployed image to scan (no compose image:, no container)');
    const where = `searched ${d.scanReportDirs.join(', ')}`;
    if (d.scanners.length === 0 && d.scanReports.length === 0) {
      const denied = d.scannersDenied ?? [];
      if (denied.length > 0)
        return unknown(
          `No scan report was found (${where}) and no scanner seen, but ${denied.map((p) => JSON.stringify(p)).join(', ')} could not be checked (permission denied)`,
          denied.map((p) => ({ path: p, message: 'permission denied: whether a scanner is installed here cannot be told' })),
        );
      return manual(
        `No scanner (trivy, grype, docker scout) is installed and no scan report was found (${where}): attest where images are scanned`,
        { note: where },
      );
    }
    const fresh: Evidence[] = [];
    const stale: Evidence[] = [];
    for (const img of images) {
      const newest = d.scanReports.filter((r) => covers(r, img)).sort((a, b) => b.scannedAt.localeCompare(a.scannedAt))[0];
      if (!newest) {
        stale.push({ path: d.scanReportDirs[0] ?? '/var/lib/trivy/reports', message: `${img}: no scan report (${where})` });
        continue;
      }
      const age = Math.floor((ctx.now.getTime() - Date.parse(newest.scannedAt)) / DAY_MS);
      const e: Evidence = {
        path: newest.path,
        message: `${img}: ${newest.tool} scan of ${newest.scannedAt.slice(0, 10)} (${age} days old${newest.scannedAtFrom === 'mtime' ? ', dated by file mtime' : ''})`,
      };
      (age <= period ? fresh : stale).push(e);
    }
    const tools = d.scanners.map((s) => `${s.name} (${s.path})`).join(', ') || 'no scanner installed here';
    if (stale.length > 0)
      return fail(
        `${stale.length} of ${images.length} image(s) have no scan younger than ${period} days: ${stale.map((s) => s.message).join('; ')}; scanners: ${tools}`,
        [...stale, ...d.scanners.map((s) => ({ path: s.path, message: `${s.name} installed` }))],
      );
    return pass(`All ${images.length} image(s) were scanned within ${period} days: ${fresh.map((f) => f.message).join('; ')}`, fresh);
  },
});
