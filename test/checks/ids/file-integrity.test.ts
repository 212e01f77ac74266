import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ids/file-integrity.js';
import type { IdsFacts } from '../../../src/facts/ids.js';
import { ctx } from '../../helpers.js';
import { ids } from '../../ids/check-facts.js';

const db = ids().fileIntegrity.database;
const cronSkipped = {
  kind: 'cron.daily' as const,
  active: false,
  detail: 'the script exits when systemd runs (dailyaidecheck.timer does the check there)',
  source: { path: '/etc/cron.daily/aide' },
};
const cases: { name: string; facts: IdsFacts; status: string; summary: RegExp }[] = [
  {
    name: 'database initialised, timer enabled',
    facts: ids(),
    status: 'pass',
    summary: /aide database \/var\/lib\/aide\/aide\.db.*systemd-timer/,
  },
  {
    name: 'cron.daily with cron (no systemd)',
    facts: ids({
      fileIntegrity: {
        schedule: {
          entries: [{ kind: 'cron.daily', active: true, detail: 'run daily by /usr/sbin/cron', source: { path: '/etc/cron.daily/aide' } }],
        },
      },
    }),
    status: 'pass',
    summary: /cron\.daily/,
  },
  {
    name: 'neither tool installed',
    facts: ids({ fileIntegrity: { tool: null, installedEvidence: [] } }),
    status: 'fail',
    summary: /neither AIDE nor Tripwire/,
  },
  {
    name: 'database not initialised',
    facts: ids({ fileIntegrity: { database: { ...db, exists: false, size: null, mtime: null, detail: 'missing' } } }),
    status: 'fail',
    summary: /not initialised/,
  },
  {
    name: 'no database_in',
    facts: ids({ fileIntegrity: { database: { ...db, path: null, exists: false, detail: 'aide.conf sets no database_in' } } }),
    status: 'fail',
    summary: /not configured/,
  },
  {
    name: 'only the cron script, which systemd hosts skip',
    facts: ids({ fileIntegrity: { schedule: { entries: [cronSkipped] } } }),
    status: 'fail',
    summary: /no periodic check.*systemd runs/,
  },
  { name: 'nothing scheduled', facts: ids({ fileIntegrity: { schedule: { entries: [] } } }), status: 'fail', summary: /no periodic check/ },
  {
    name: 'aide.conf missing',
    facts: ids({ fileIntegrity: { config: { path: '/etc/aide/aide.conf', state: 'missing', detail: 'does not exist' } } }),
    status: 'fail',
    summary: /configuration \/etc\/aide\/aide.conf is missing/,
  },
  {
    name: 'aide.conf unreadable',
    facts: ids({ fileIntegrity: { config: { path: '/etc/aide/aide.conf', state: 'unreadable', detail: 'permission denied' } } }),
    status: 'unknown',
    summary: /cannot be read/,
  },
];
for (const c of cases) {
  test(`ids.file-integrity ${c.status}: ${c.name}`, () => {
    const v = check.evaluate({ ids: c.facts }, ctx());
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail')
      assert.ok(
        v.findings.some((f) => f.path || f.command),
        'a fail carries evidence',
      );
  });
}
