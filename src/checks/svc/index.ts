import type { Check } from '../define.js';
import expectedRunning from './expected-running.js';

export const svcChecks: Check[] = [expectedRunning];
