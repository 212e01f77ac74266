import type { Check } from '../define.js';
import retentionPolicy from './retention-policy.js';
import erasure from './erasure.js';

export const gdprChecks: Check[] = [retentionPolicy, erasure];
