import type { Check } from '../define.js';
import signedChecklist from './signed-checklist.js';

export const docsChecks: Check[] = [signedChecklist];
