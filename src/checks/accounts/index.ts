import type { Check } from '../define.js';

export const accountsChecks: Check[] = [];
