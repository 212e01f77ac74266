import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { compareDebVersions } from '../../src/collect/parse/deb-version.js';
import { requireCommands } from '../helpers.js';

const CASES: [string, string, -1 | 0 | 1][] = [
  ['1.0', '1.0', 0],
  ['1.0', '1.1', -1],
  ['1:1.0', '2.0', 1],
  ['1.0~rc1', '1.0', -1],
  ['1.0~~', '1.0~', -1],
  ['1.0', '1.0+deb12u1', -1],
  ['1.10.1-3', '1.10.1-3+deb12u1', -1],
  ['2.5.0-1+deb12u1', '2.5.0-1+deb12u5', -1],
  ['252.36-1~deb12u1', '252.38-1~deb12u1', -1],
  ['1.0-1', '1.0-1~bpo12+1', 1],
  ['1.0a', '1.0+', -1],
  ['1.001', '1.1', 0],
  ['0:1.0', '1.0', 0],
  ['1.0-10', '1.0-9', 1],
  ['12.4+deb12u11', '12.4+deb12u15', -1],
  ['1:9.2p1-2+deb12u6', '1:9.2p1-2+deb12u10', -1],
];

test('Debian version ordering (deb-version(7))', () => {
  for (const [a, b, want] of CASES) {
    assert.equal(Math.sign(compareDebVersions(a, b)), want, `${a} vs ${b}`);
    assert.equal(Math.sign(compareDebVersions(b, a)), want === 0 ? 0 : -want, `${b} vs ${a}`);
  }
});

test('agrees with dpkg --compare-versions (real dpkg)', (t) => {
  if (!requireCommands(t, 'dpkg')) return;
  for (const [a, b] of CASES) {
    const lt = spawnSync('dpkg', ['--compare-versions', a, 'lt', b]).status === 0;
    const eq = spawnSync('dpkg', ['--compare-versions', a, 'eq', b]).status === 0;
    const dpkg = lt ? -1 : eq ? 0 : 1;
    assert.equal(Math.sign(compareDebVersions(a, b)), dpkg, `${a} vs ${b}`);
  }
});
