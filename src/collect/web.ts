import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the web collector lands.
export const webCollector = defineCollector({
  key: 'web',
  collect() {
    return Promise.resolve(failed('the web collector is not implemented yet'));
  },
});
