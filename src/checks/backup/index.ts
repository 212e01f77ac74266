import type { Check } from '../define.js';
import restoreTested from './restore-tested.js';
import encrypted from './encrypted.js';
import offsite from './offsite.js';
import integrity from './integrity.js';

export const backupChecks: Check[] = [restoreTested, encrypted, offsite, integrity];
