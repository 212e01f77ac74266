import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the storage collector lands.
export const storageCollector = defineCollector({
  key: 'storage',
  collect() {
    return Promise.resolve(failed('the storage collector is not implemented yet'));
  },
});
