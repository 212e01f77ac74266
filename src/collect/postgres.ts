import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the postgres collector lands.
export const postgresCollector = defineCollector({
  key: 'postgres',
  collect() {
    return Promise.resolve(failed('the postgres collector is not implemented yet'));
  },
});
