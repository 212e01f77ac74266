import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the packages collector lands.
export const packagesCollector = defineCollector({
  key: 'packages',
  collect() {
    return Promise.resolve(failed('the packages collector is not implemented yet'));
  },
});
