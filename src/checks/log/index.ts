import type { Check } from '../define.js';
import centralized from './centralized.js';
import retention from './retention.js';
import securityEvents from './security-events.js';
import alerts from './alerts.js';

export const logChecks: Check[] = [centralized, retention, securityEvents, alerts];
