import type { Check } from '../define.js';

export const dockerChecks: Check[] = [];
