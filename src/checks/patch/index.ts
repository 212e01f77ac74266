import type { Check } from '../define.js';
import weeklyReview from './weekly-review.js';
import stagingFirst from './staging-first.js';

export const patchChecks: Check[] = [weeklyReview, stagingFirst];
