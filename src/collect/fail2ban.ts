import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the fail2ban collector lands.
export const fail2banCollector = defineCollector({
  key: 'fail2ban',
  collect() {
    return Promise.resolve(failed('the fail2ban collector is not implemented yet'));
  },
});
