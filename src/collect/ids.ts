import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the ids collector lands.
export const idsCollector = defineCollector({
  key: 'ids',
  collect() {
    return Promise.resolve(failed('the ids collector is not implemented yet'));
  },
});
