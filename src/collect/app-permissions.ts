import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the appPermissions collector lands.
export const appPermissionsCollector = defineCollector({
  key: 'appPermissions',
  collect() {
    return Promise.resolve(failed('the appPermissions collector is not implemented yet'));
  },
});
