import type { Check } from '../define.js';
import enabled from './enabled.js';
import defaultDenyIncoming from './default-deny-incoming.js';
import defaultAllowOutgoing from './default-allow-outgoing.js';
import allowedPortsOnly from './allowed-ports-only.js';
import sshRateLimit from './ssh-rate-limit.js';
import sshAdminSources from './ssh-admin-sources.js';

export const fwChecks: Check[] = [enabled, defaultDenyIncoming, defaultAllowOutgoing, allowedPortsOnly, sshRateLimit, sshAdminSources];
