import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the accounts collector lands.
export const accountsCollector = defineCollector({
  key: 'accounts',
  collect() {
    return Promise.resolve(failed('the accounts collector is not implemented yet'));
  },
});
