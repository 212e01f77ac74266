import check from '../../../src/checks/docker/image-scanning.js';
import { docker } from './facts.js';
import { runCases } from './common.js';

const report = (scannedAt: string) => ({
  path: '/var/lib/trivy/reports/lms-app.json',
  tool: 'trivy' as const,
  artifact: 'registry.example/lms-app:1.4',
  imageId: null,
  repoDigests: [],
  scannedAt,
  scannedAtFrom: 'report' as const,
});
const trivy = [{ name: 'trivy' as const, path: '/usr/local/bin/trivy' }];
runCases(check, [
  {
    name: 'trivy installed, report 3 days old',
    facts: docker({ scanners: trivy, scanReports: [report('2026-11-25T10:00:00.000Z')] }),
    status: 'pass',
    summary: /scanned within 31 days/,
  },
  {
    name: 'report 60 days old',
    facts: docker({ scanners: trivy, scanReports: [report('2026-09-29T10:00:00.000Z')] }),
    status: 'fail',
    summary: /no scan younger than 31 days.*60 days old/,
  },
  { name: 'scanner installed, no report for the image', facts: docker({ scanners: trivy }), status: 'fail', summary: /no scan report/ },
  { name: 'no scanner, no report', facts: docker(), status: 'manual', summary: /attest where images are scanned/ },
  { name: 'no images deployed', facts: docker({ workloads: [] }), status: 'na', summary: /No deployed image/ },
]);
