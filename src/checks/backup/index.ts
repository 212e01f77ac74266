import type { Check } from '../define.js';
import restoreTested from './restore-tested.js';

export const backupChecks: Check[] = [restoreTested];
