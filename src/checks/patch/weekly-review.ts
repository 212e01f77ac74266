import { attestationCheck } from '../attestation.js';

export default attestationCheck('patch.weekly-review', 'Schedule a weekly review of pending patches and keep its minutes.');
