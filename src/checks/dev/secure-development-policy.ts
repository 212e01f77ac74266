import { attestationCheck } from '../attestation.js';

export default attestationCheck(
  'dev.secure-development-policy',
  'Adopt a secure development policy (code review, dependency updates, secrets handling) and keep it current.',
);
