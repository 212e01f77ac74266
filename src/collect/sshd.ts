import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the sshd collector lands.
export const sshdCollector = defineCollector({
  key: 'sshd',
  collect() {
    return Promise.resolve(failed('the sshd collector is not implemented yet'));
  },
});
