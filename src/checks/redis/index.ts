import type { Check } from '../define.js';
import requirepass from './requirepass.js';
import bindLocal from './bind-local.js';
import dangerousCommands from './dangerous-commands.js';
import acl from './acl.js';
import tls from './tls.js';

export const redisChecks: Check[] = [requirepass, bindLocal, dangerousCommands, acl, tls];
