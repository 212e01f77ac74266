import type { Check } from '../define.js';

export const tlsChecks: Check[] = [];
