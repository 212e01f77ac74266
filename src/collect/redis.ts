import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the redis collector lands.
export const redisCollector = defineCollector({
  key: 'redis',
  collect() {
    return Promise.resolve(failed('the redis collector is not implemented yet'));
  },
});
