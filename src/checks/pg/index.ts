import type { Check } from '../define.js';

export const pgChecks: Check[] = [];
