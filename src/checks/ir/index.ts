import type { Check } from '../define.js';
import plan from './plan.js';

export const irChecks: Check[] = [plan];
