import { attestationCheck } from '../attestation.js';

export default attestationCheck(
  'gdpr.erasure',
  "Have a tested procedure that erases a data subject's personal data on request, backups included (GDPR Art. 17).",
);
