import check from '../../../src/checks/docker/image-scanning.js';
import { docker } from './facts.js';
import { runCases } from '../run-cases.js';

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
runCases(
  check,
  {
    pass: [
      {
        name: 'trivy installed, report 3 days old',
        facts: docker({ scanners: trivy, scanReports: [report('2026-11-25T10:00:00.000Z')] }),
        summary: /scanned within 31 days/,
      },
    ],
    fail: [
      {
        name: 'report 60 days old',

        facts: docker({ scanners: trivy, scanReports: [report('2026-09-29T10:00:00.000Z')] }),
        summary: /no scan younger than 31 days.*60 days old/,
      },
      {
        name: 'scanner installed, no report for the image',

        facts: docker({ scanners: trivy }),
        summary: /no scan report/,
      },
    ],
    na: [{ name: 'no images deployed', facts: docker({ workloads: [] }), summary: /No deployed image/ }],
    manual: [{ name: 'no scanner, no report', facts: docker(), summary: /attest where images are scanned/ }],
  },
  { key: 'docker' },
);
