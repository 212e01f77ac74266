import type { Check } from '../define.js';

export const svcChecks: Check[] = [];
