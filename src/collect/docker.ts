import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the docker collector lands.
export const dockerCollector = defineCollector({
  key: 'docker',
  collect() {
    return Promise.resolve(failed('the docker collector is not implemented yet'));
  },
});
