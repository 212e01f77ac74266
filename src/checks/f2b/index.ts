import type { Check } from '../define.js';
import running from './running.js';
import sshdJail from './sshd-jail.js';
import logSource from './log-source.js';

export const f2bChecks: Check[] = [running, sshdJail, logSource];
