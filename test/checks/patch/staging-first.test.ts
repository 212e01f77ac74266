import check from '../../../src/checks/patch/staging-first.js';
import { attestation, attestationFacts, commonCases, runCases } from '../../attest/fixtures.js';

runCases(check, [
  ...commonCases('patch.staging-first'),
  { name: 'facts not loaded (old snapshot)', facts: undefined, status: 'manual' },
  {
    name: 'the last recorded answer wins',
    facts: attestationFacts(attestation({ id: 'patch.staging-first', status: 'fail', recordedAt: '2026-11-21T00:00:00Z' })),
    status: 'fail',
  },
  {
    name: 'pass',
    facts: attestationFacts(attestation({ id: 'patch.staging-first' })),
    status: 'pass',
    summary: /Attested pass by alice on 2026-11-20 \(holds until 2027-02-18\)/,
  },
]);
