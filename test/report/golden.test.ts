import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render, FORMATS, type Format } from '../../src/report/index.js';
import { fixtureReport } from './fixture.js';
import { assertGolden, scrub } from './golden.js';

const GOLDEN: Partial<Record<Format, string>> = {
  html: 'report.html',
  junit: 'report.junit.xml',
  sarif: 'report.sarif.json',
  markdown: 'report.md',
  csv: 'report.csv',
};

for (const [format, file] of Object.entries(GOLDEN) as [Format, string][]) {
  test(`${format}: the fixture report renders as its golden file`, () => {
    assertGolden(file, render(format, fixtureReport(), { color: false }));
  });
}

test('every new format is registered and pure: the same report renders the same text twice', () => {
  for (const f of ['html', 'junit', 'sarif', 'markdown', 'csv']) assert.ok((FORMATS as readonly string[]).includes(f), f);
  for (const f of FORMATS) assert.equal(render(f, fixtureReport(), { color: false }), render(f, fixtureReport(), { color: false }), f);
});

test('scrub replaces timestamps, and only them', () => {
  assert.equal(
    scrub('at 2026-11-28T10:00:00.412Z and 2026-11-28T10:00:00 ok 2026-11-28'),
    'at 2000-01-01T00:00:00.000Z and 2000-01-01T00:00:00 ok 2026-11-28',
  );
});
