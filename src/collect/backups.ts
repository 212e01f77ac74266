import { failed } from '../facts/fact.js';
import { defineCollector } from './types.js';

// Placeholder until the backups collector lands.
export const backupsCollector = defineCollector({
  key: 'backups',
  collect() {
    return Promise.resolve(failed('the backups collector is not implemented yet'));
  },
});
