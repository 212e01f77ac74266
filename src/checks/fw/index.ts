import type { Check } from '../define.js';

export const fwChecks: Check[] = [];
