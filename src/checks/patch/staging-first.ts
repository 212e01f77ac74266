import { attestationCheck } from '../attestation.js';

export default attestationCheck(
  'patch.staging-first',
  'Apply every patch to staging first and promote it to production only after it passed there.',
);
