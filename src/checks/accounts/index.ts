import type { Check } from '../define.js';
import sudoForAdmin from './sudo-for-admin.js';
import leastPrivilege from './least-privilege.js';
import review from './review.js';
import passwordPolicy from './password-policy.js';

export const accountsChecks: Check[] = [sudoForAdmin, leastPrivilege, review, passwordPolicy];
