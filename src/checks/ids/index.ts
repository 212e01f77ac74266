import type { Check } from '../define.js';
import vulnerabilityScans from './vulnerability-scans.js';

export const idsChecks: Check[] = [vulnerabilityScans];
