import type { Check } from '../define.js';
import secureDevelopmentPolicy from './secure-development-policy.js';

export const devChecks: Check[] = [secureDevelopmentPolicy];
