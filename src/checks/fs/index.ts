import type { Check } from '../define.js';
import appPermissions from './app-permissions.js';
import noWorldWritable from './no-world-writable.js';
import mandatoryAccessControl from './mandatory-access-control.js';
import encryptionAtRest from './encryption-at-rest.js';

export const fsChecks: Check[] = [appPermissions, noWorldWritable, mandatoryAccessControl, encryptionAtRest];
