import type { Check } from '../define.js';

export const fsChecks: Check[] = [];
