import type { Check } from '../define.js';
import exposedServices from './exposed-services.js';

export const netChecks: Check[] = [exposedServices];
