import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the logging collector lands.
export const loggingCollector = defineCollector({
  key: 'logging',
  collect() {
    return Promise.resolve(failed('the logging collector is not implemented yet'));
  },
});
