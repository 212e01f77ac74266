import type { Check } from '../define.js';

export const logChecks: Check[] = [];
