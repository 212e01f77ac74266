import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Check } from '../../../src/checks/define.js';
import type { Config } from '../../../src/config/schema.js';
import type { RedisFacts } from '../../../src/facts/redis.js';
import { ctx } from '../../helpers.js';

export interface Case {
  name: string;
  facts: RedisFacts;
  status: string;
  summary: RegExp;
  live?: boolean;
  config?: Partial<Config>;
}

export function runCases(check: Check, cases: Case[]): void {
  for (const c of cases) {
    test(`${check.id} ${c.status}: ${c.name}`, () => {
      const v = check.evaluate({ redis: c.facts }, ctx({ live: c.live ?? false, ...(c.config ? { config: c.config } : {}) }));
      assert.equal(v.status, c.status, v.summary);
      assert.match(v.summary, c.summary);
      if (v.status === 'fail' || v.status === 'warn')
        assert.ok(
          v.findings.some((f) => f.path || f.command),
          'a fail carries evidence',
        );
    });
  }
}
