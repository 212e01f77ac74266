import type { Check } from '../define.js';

export const redisChecks: Check[] = [];
