import check from '../../../src/checks/patch/weekly-review.js';
import { attestation, attestationFacts, commonCases, runCases } from '../../attest/fixtures.js';

runCases(check, [
  ...commonCases('patch.weekly-review'),
  { name: 'facts not loaded (old snapshot)', facts: undefined, status: 'manual' },
  {
    name: 'the last recorded answer wins',
    facts: attestationFacts(attestation({ id: 'patch.weekly-review', status: 'fail', recordedAt: '2026-11-21T00:00:00Z' })),
    status: 'fail',
  },
  {
    name: 'pass',
    facts: attestationFacts(attestation({ id: 'patch.weekly-review' })),
    status: 'pass',
    summary: /Attested pass by alice on 2026-11-20 \(holds until 2027-02-18\)/,
  },
]);
