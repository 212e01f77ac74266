import type { Check } from '../define.js';
import vulnerabilityScans from './vulnerability-scans.js';
import hids from './hids.js';
import auditd from './auditd.js';
import fileIntegrity from './file-integrity.js';

export const idsChecks: Check[] = [vulnerabilityScans, hids, auditd, fileIntegrity];
