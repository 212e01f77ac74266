import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the worldWritable collector lands.
export const worldWritableCollector = defineCollector({
  key: 'worldWritable',
  collect() {
    return Promise.resolve(failed('the worldWritable collector is not implemented yet'));
  },
});
