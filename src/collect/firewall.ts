import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the firewall collector lands.
export const firewallCollector = defineCollector({
  key: 'firewall',
  collect() {
    return Promise.resolve(failed('the firewall collector is not implemented yet'));
  },
});
