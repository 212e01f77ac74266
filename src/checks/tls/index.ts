import type { Check } from '../define.js';
import webHttps from './web-https.js';

export const tlsChecks: Check[] = [webHttps];
