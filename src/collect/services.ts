import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the services collector lands.
export const servicesCollector = defineCollector({
  key: 'services',
  collect() {
    return Promise.resolve(failed('the services collector is not implemented yet'));
  },
});
