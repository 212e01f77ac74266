import type { Check } from '../define.js';
import passwordStrength from './password-strength.js';
import restrictedAccess from './restricted-access.js';
import ssl from './ssl.js';
import hbaMethods from './hba-methods.js';
import monitoring from './monitoring.js';

export const pgChecks: Check[] = [passwordStrength, restrictedAccess, ssl, hbaMethods, monitoring];
