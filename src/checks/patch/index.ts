import type { Check } from '../define.js';
import autoSecurityUpdates from './auto-security-updates.js';
import pendingSecurityUpdates from './pending-security-updates.js';
import weeklyReview from './weekly-review.js';
import stagingFirst from './staging-first.js';
import inventory from './inventory.js';

export const patchChecks: Check[] = [autoSecurityUpdates, pendingSecurityUpdates, weeklyReview, stagingFirst, inventory];
