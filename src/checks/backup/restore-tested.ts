import { attestationCheck } from '../attestation.js';

/** Evidence requirement: no host state shows a restore test, so the evidence is the attested date of the last one. */
export default attestationCheck('backup.restore-tested', 'Restore a backup to a scratch host and check the data.', {
  period: 'restore_test',
  event: 'last restore test',
});
