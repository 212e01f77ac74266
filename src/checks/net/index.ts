import type { Check } from '../define.js';

export const netChecks: Check[] = [];
