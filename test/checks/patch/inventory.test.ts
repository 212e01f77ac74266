import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/patch/inventory.js';
import { ctx } from '../../helpers.js';
import { packageFacts } from './package-facts.js';
import type { LogFile } from '../../../src/facts/packages.js';

const log = (path: string, first: string | null, error: string | null = null): LogFile => ({
  path,
  entries: first ? 5 : 0,
  first,
  last: first,
  error,
});
const hist = (apt: LogFile[]) => packageFacts({ history: { apt, dpkg: [log('/var/log/dpkg.log', '2026-01-01T00:00:00.000Z')] } });

const CASES: { name: string; apt: LogFile[]; status: string; match: RegExp }[] = [
  {
    name: '180 days with rotated logs',
    apt: [log('/var/log/apt/history.log', '2026-10-01T00:00:00.000Z'), log('/var/log/apt/history.log.5.gz', '2026-06-01T00:00:00.000Z')],
    status: 'pass',
    match: /covers 180 days/,
  },
  { name: 'exactly 90 days', apt: [log('/var/log/apt/history.log', '2026-08-30T10:00:00.000Z')], status: 'pass', match: /covers 90 days/ },
  {
    name: 'only 30 days',
    apt: [log('/var/log/apt/history.log', '2026-10-29T00:00:00.000Z')],
    status: 'fail',
    match: /covers 30 days.*less than 90/,
  },
  { name: 'missing', apt: [], status: 'fail', match: /history.log is missing/ },
  { name: 'unreadable', apt: [log('/var/log/apt/history.log', null, 'permission denied')], status: 'fail', match: /no readable entry/ },
];

test('patch.inventory', () => {
  for (const c of CASES) {
    const v = check.evaluate({ packages: hist(c.apt) }, ctx());
    assert.equal(v.status, c.status, `${c.name}: ${v.summary}`);
    assert.match(v.summary, c.match, c.name);
    assert.ok(
      v.findings.some((f) => /installed packages: 2 from Debian bookworm/.test(f.message)),
      c.name,
    );
  }
});
