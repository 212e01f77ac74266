import type { Check } from '../define.js';

export const f2bChecks: Check[] = [];
