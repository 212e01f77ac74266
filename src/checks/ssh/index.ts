import type { Check } from '../define.js';

export const sshChecks: Check[] = [];
