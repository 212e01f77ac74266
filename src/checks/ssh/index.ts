import type { Check } from '../define.js';
import rootLoginDisabled from './root-login-disabled.js';
import passwordAuthDisabled from './password-auth-disabled.js';
import pubkeyAuthEnabled from './pubkey-auth-enabled.js';
import protocol2 from './protocol-2.js';
import idleTimeout from './idle-timeout.js';
import allowedUsers from './allowed-users.js';
import x11ForwardingDisabled from './x11-forwarding-disabled.js';
import tcpKeepalive from './tcp-keepalive.js';
import usednsDisabled from './usedns-disabled.js';
import configValid from './config-valid.js';
import strongCrypto from './strong-crypto.js';
import authLimits from './auth-limits.js';

export const sshChecks: Check[] = [
  rootLoginDisabled,
  passwordAuthDisabled,
  pubkeyAuthEnabled,
  protocol2,
  idleTimeout,
  allowedUsers,
  x11ForwardingDisabled,
  tcpKeepalive,
  usednsDisabled,
  configValid,
  strongCrypto,
  authLimits,
];
