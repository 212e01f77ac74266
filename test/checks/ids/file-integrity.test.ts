import check from '../../../src/checks/ids/file-integrity.js';
import { ids } from '../../ids/check-facts.js';
import { runCases } from '../run-cases.js';

const db = ids().fileIntegrity.database;
const cronSkipped = {
  kind: 'cron.daily' as const,
  active: false,
  detail: 'the script exits when systemd runs (dailyaidecheck.timer does the check there)',
  source: { path: '/etc/cron.daily/aide' },
};
runCases(
  check,
  {
    pass: [
      {
        name: 'database initialised, timer enabled',
        facts: ids(),
        summary: /aide database \/var\/lib\/aide\/aide\.db.*systemd-timer/,
      },
      {
        name: 'cron.daily with cron (no systemd)',
        facts: ids({
          fileIntegrity: {
            schedule: {
              entries: [
                { kind: 'cron.daily', active: true, detail: 'run daily by /usr/sbin/cron', source: { path: '/etc/cron.daily/aide' } },
              ],
            },
          },
        }),
        summary: /cron\.daily/,
      },
    ],
    fail: [
      {
        name: 'neither tool installed',
        facts: ids({ fileIntegrity: { tool: null, installedEvidence: [] } }),
        summary: /neither AIDE nor Tripwire/,
      },
      {
        name: 'database not initialised',
        facts: ids({ fileIntegrity: { database: { ...db, exists: false, size: null, mtime: null, detail: 'missing' } } }),
        summary: /not initialised/,
      },
      {
        name: 'no database_in',
        facts: ids({ fileIntegrity: { database: { ...db, path: null, exists: false, detail: 'aide.conf sets no database_in' } } }),
        summary: /not configured/,
      },
      {
        name: 'only the cron script, which systemd hosts skip',
        facts: ids({ fileIntegrity: { schedule: { entries: [cronSkipped] } } }),
        summary: /no periodic check.*systemd runs/,
      },
      { name: 'nothing scheduled', facts: ids({ fileIntegrity: { schedule: { entries: [] } } }), summary: /no periodic check/ },
      {
        name: 'aide.conf missing',
        facts: ids({ fileIntegrity: { config: { path: '/etc/aide/aide.conf', state: 'missing', detail: 'does not exist' } } }),
        summary: /configuration \/etc\/aide\/aide.conf is missing/,
      },
    ],
    unknown: [
      {
        name: 'aide.conf unreadable',
        facts: ids({ fileIntegrity: { config: { path: '/etc/aide/aide.conf', state: 'unreadable', detail: 'permission denied' } } }),
        summary: /cannot be read/,
      },
    ],
  },
  { key: 'ids' },
);
