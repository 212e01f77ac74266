import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the mac collector lands.
export const macCollector = defineCollector({
  key: 'mac',
  collect() {
    return Promise.resolve(failed('the mac collector is not implemented yet'));
  },
});
