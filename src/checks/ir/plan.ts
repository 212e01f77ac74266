import { attestationCheck } from '../attestation.js';

export default attestationCheck(
  'ir.plan',
  'Write an incident response plan (roles, contacts, steps, forensic collection with rampart collect) and review it.',
);
