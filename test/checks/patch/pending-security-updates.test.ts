import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/patch/pending-security-updates.js';
import { ctx } from '../../helpers.js';
import { packageFacts } from './package-facts.js';
import type { PackageFacts, PendingUpdate } from '../../../src/facts/packages.js';
import { runCases } from '../run-cases.js';

const upd = (name: string, security: boolean): PendingUpdate => ({
  name,
  arch: 'amd64',
  installed: '1.0-1',
  candidate: '1.0-1+deb12u1',
  origins: [security ? 'Debian-Security bookworm-security (deb.debian.org)' : 'Debian bookworm (deb.debian.org)'],
  security,
});
const base = packageFacts();
const with_ = (pending: PendingUpdate[] | null, lists: Partial<PackageFacts['lists']> = {}): Partial<PackageFacts> => ({
  updates: { ...base.updates, pending, reason: pending === null ? 'no package lists in /var/lib/apt/lists' : null },
  lists: { ...base.lists, ...lists },
});

runCases(
  check,
  {
    pass: [
      { name: 'nothing pending', facts: packageFacts(with_([])), summary: /no security update pending/ },
      { name: 'only non-security updates', facts: packageFacts(with_([upd('dpkg', false)])), summary: /1 other/ },
    ],
    fail: [
      {
        name: 'a security update',
        evidence: 'note',
        facts: packageFacts(with_([upd('libexpat1', true), upd('dpkg', false)])),
        summary: /1 security update\(s\) pending: libexpat1 1.0-1 → 1.0-1\+deb12u1/,
      },
      {
        name: 'a security update despite an unreadable list',
        evidence: 'note',
        facts: packageFacts(with_([upd('libssl3', true)], { problems: [{ source: { path: '/x' }, reason: 'r' }] })),
        summary: /libssl3/,
      },
    ],
    warn: [{ name: 'stale lists', facts: packageFacts(with_([], { updatedAt: '2026-11-01T00:00:00.000Z' })), summary: /27 days old/ }],
    unknown: [
      {
        name: 'lists of unknown age: no pass',
        facts: packageFacts(with_([], { updatedAt: null })),
        summary: /package lists of unknown age/,
      },
      { name: 'no lists', facts: packageFacts(with_(null, { state: 'none' })), summary: /no package lists/ },
      {
        name: 'unreadable list',
        facts: packageFacts(
          with_([], {
            problems: [
              { source: { path: '/var/lib/apt/lists/x_Packages.xz' }, reason: 'xz-compressed lists need an external decompressor' },
            ],
          }),
        ),
        summary: /xz/,
      },
    ],
  },
  { key: 'packages' },
);

test('the finding lists each package with installed and candidate version', () => {
  const v = check.evaluate({ packages: packageFacts(with_([upd('a', true), upd('b', true), upd('c', false)])) }, ctx());
  assert.deepEqual(
    v.findings.map((f) => f.message),
    [
      'a:amd64 1.0-1 → 1.0-1+deb12u1 (Debian-Security bookworm-security (deb.debian.org))',
      'b:amd64 1.0-1 → 1.0-1+deb12u1 (Debian-Security bookworm-security (deb.debian.org))',
    ],
  );
});

test('staleness follows config.periods.package_lists_stale and ctx.now', () => {
  const facts = packageFacts(with_([], { updatedAt: '2026-11-20T00:00:00.000Z' }));
  assert.equal(check.evaluate({ packages: facts }, ctx()).status, 'warn');
  const lenient = ctx();
  lenient.config = { ...lenient.config, periods: { ...lenient.config.periods, package_lists_stale: 30 } };
  assert.equal(check.evaluate({ packages: facts }, lenient).status, 'pass');
  assert.equal(check.evaluate({ packages: facts }, ctx({ now: new Date('2026-11-22T00:00:00Z') })).status, 'pass');
});
