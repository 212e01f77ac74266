import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/fs/no-world-writable.js';
import type { WorldWritableEntry, WorldWritableFacts } from '../../../src/facts/world-writable.js';
import { ctx } from '../../helpers.js';
import { runCases } from '../run-cases.js';

const entry = (path: string, type: 'file' | 'dir', mode: string): WorldWritableEntry => ({ path, rawBase64: null, type, mode, uid: 0 });
const facts = (over: Partial<WorldWritableFacts>): WorldWritableFacts => ({
  method: 'find',
  command: 'find -P / …',
  roots: ['/'],
  excluded: [{ path: '/proc', fstype: 'proc', reason: 'pseudo file system' }],
  entries: [],
  truncated: false,
  cap: 100000,
  notScanned: [],
  notScannedCount: 0,
  ...over,
});

runCases(
  check,
  {
    pass: [
      {
        name: 'only sticky directories (/tmp)',
        facts: facts({ entries: [entry('/tmp', 'dir', '1777'), entry('/var/tmp', 'dir', '1777')] }),
        summary: /2 world-writable directories have the sticky bit/,
      },
    ],
    fail: [
      {
        name: 'a world-writable file',
        facts: facts({ entries: [entry('/srv/data.csv', 'file', '0666')] }),
        summary: /"\/srv\/data\.csv" \(0666\)/,
      },
      {
        name: 'a world-writable directory without the sticky bit',
        facts: facts({ entries: [entry('/tmp', 'dir', '1777'), entry('/srv/drop', 'dir', '0777')] }),
        summary: /1 world-writable directory without the sticky bit/,
      },
      {
        name: 'a file name with a newline stays exact',
        facts: facts({ entries: [entry('/srv/a\nb', 'file', '0666')] }),
        summary: /a\\nb/,
      },
      {
        name: 'a finding is a fail even when part was not scanned',
        facts: facts({
          entries: [entry('/x', 'file', '0777')],
          notScannedCount: 3,
          notScanned: [{ path: '/y', rawBase64: null, reason: 'permission denied' }],
        }),
        summary: /3 part\(s\) could not be scanned/,
      },
    ],
    unknown: [
      {
        name: 'clean but a directory could not be read',
        facts: facts({ notScanned: [{ path: '/srv/locked', rawBase64: null, reason: 'permission denied' }], notScannedCount: 1 }),
        summary: /incomplete.*\/srv\/locked/,
      },
      { name: 'clean but truncated', facts: facts({ truncated: true }), summary: /truncated/ },
    ],
  },
  { key: 'worldWritable' },
);

test('fs.no-world-writable: the exact path of a newline name is in the findings', () => {
  const v = check.evaluate({ worldWritable: facts({ entries: [entry('/srv/a\nb', 'file', '0666')] }) }, ctx());
  assert.equal(v.findings[0]?.path, '/srv/a\nb');
});
