import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the listeners collector lands.
export const listenersCollector = defineCollector({
  key: 'listeners',
  collect() {
    return Promise.resolve(failed('the listeners collector is not implemented yet'));
  },
});
