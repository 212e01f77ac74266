import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Check } from '../../../src/checks/define.js';
import type { DockerFacts } from '../../../src/facts/docker.js';
import { ctx } from '../../helpers.js';

export interface Case {
  name: string;
  facts: DockerFacts;
  status: 'pass' | 'fail' | 'warn' | 'na' | 'unknown' | 'manual';
  summary: RegExp;
  profile?: 'guide' | 'strict';
  now?: Date;
}

/** Runs a table of cases against one check; every fail/warn must carry file:line or command evidence. */
export function runCases(check: Check, cases: Case[]): void {
  for (const c of cases) {
    test(`${check.id} ${c.status}: ${c.name}`, () => {
      const v = check.evaluate({ docker: c.facts }, ctx({ profile: c.profile ?? 'guide', ...(c.now ? { now: c.now } : {}) }));
      assert.equal(v.status, c.status, v.summary);
      assert.match(v.summary, c.summary);
      if (v.status === 'fail' || v.status === 'warn')
        assert.ok(
          v.findings.some((f) => f.path !== null || f.command !== null),
          'a fail/warn carries evidence',
        );
    });
  }
}
