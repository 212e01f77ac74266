import { attestationCheck } from '../attestation.js';

export default attestationCheck(
  'gdpr.retention-policy',
  'Write down how long each category of personal data is kept and enforce it (GDPR Art. 5(1)(e)).',
);
