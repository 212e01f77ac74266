import check from '../../../src/checks/backup/restore-tested.js';
import { attestation, attestationFacts, commonCases, runCases } from '../../attest/fixtures.js';

const id = 'backup.restore-tested';

runCases(check, [
  ...commonCases(id).filter((c) => c.status !== 'pass'),
  {
    name: 'restore test 8 days ago',
    facts: attestationFacts(attestation({ id, date: '2026-11-20' })),
    status: 'pass',
    summary: /last restore test was on 2026-11-20, 8 days ago \(limit 92 days/,
  },
  {
    name: 'restore test 93 days ago',
    facts: attestationFacts(attestation({ id, date: '2026-08-27', expires: '2027-01-01' })),
    status: 'fail',
    summary: /93 days ago: older than 92 days \(periods\.restore_test/,
  },
  { name: 'no restore test attested', facts: attestationFacts(), status: 'manual' },
]);
