// Agreement with the real fail2ban 1.0.2 on generated offline roots (issue 9 §6): every item —
// "would it start?", the effective sshd jail values, the f2b.* verdicts — equals what the real
// fail2ban-client -d (and, for every START_EVERY'th case, a real start of fail2ban-server) says; no
// false pass. More cases: npx tsx bench/agree-f2b.ts --cases N --seed S.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireCommands } from '../helpers.js';
import { compareCase, runCases, type Item } from './f2b-agree.js';

const CASES = 100;
const SEED = 9000;
const START_EVERY = 8;
const JOBS = 3;

test(`fail2ban: ${CASES} generated roots agree with fail2ban-client -d and a real start`, { timeout: 240_000 }, async (t) => {
  if (!requireCommands(t, 'fail2ban-client', 'fail2ban-server', 'unshare')) return;
  const { done, secs } = await runCases(SEED, CASES, START_EVERY, JOBS);
  const bad: string[] = [];
  let items = 0;
  let starts = 0;
  for (const { g, r } of done) {
    const list: Item[] = compareCase(g, r.root, r.truth, r.facts, secs);
    r.cleanup();
    if (r.truth.start) starts++;
    for (const i of list) {
      items++;
      if (!i.agree)
        bad.push(
          `seed ${g.seed} ${i.name}: truth ${i.truth}, rampart ${i.ours}${i.falsePass ? ' FALSE PASS' : ''} (${i.note}) {${g.tags.join(' ')}}`,
        );
    }
  }
  assert.ok(starts >= CASES / START_EVERY, `${starts} real starts`);
  assert.ok(items > CASES * 5, `${items} items compared`);
  assert.deepEqual(bad, []);
});
