// `rampart fix` plan time (issue 12): for a whole host — every check collected and evaluated, then
// the planner (recipes → FixPlan + PlannedFix, diffs) and the lockout proof — how long the plan takes
// after the audit, and the audit itself. Read-only: nothing is written.
//   npx tsx bench/fix-plan.ts [--root DIR] [--runs N] [--allow-disruptive]
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { collectSnapshot, evaluateSnapshot } from '../src/audit.js';
import { CHECKS } from '../src/checks/index.js';
import { DEFAULT_CONFIG } from '../src/config/schema.js';
import { selectChecks } from '../src/evaluate/select.js';
import { lockoutProof } from '../src/fix/lockout.js';
import { planFixes } from '../src/fix/planner.js';
import { FsTarget } from '../src/target/fs-target.js';

const args = process.argv.slice(2);
const opt = (k: string) => (args.includes(k) ? args[args.indexOf(k) + 1] : undefined);
const rootArg = opt('--root');
const runs = Number(opt('--runs') ?? '5');
const rootDir = rootArg ? resolve(rootArg) : null;
const sel = selectChecks(CHECKS, { profile: 'guide', only: [], skip: [] });
if (!sel.ok) throw new Error(sel.message);
const target = rootDir ? new FsTarget({ root: rootDir, name: rootArg! }) : new FsTarget({ name: hostname() });
const auditMs: number[] = [];
const planMs: number[] = [];
let summary = '';
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const snapshot = await collectSnapshot(target, DEFAULT_CONFIG, {
    checks: sel.checks,
    state: { dir: '/nonexistent-rampart-bench', explicit: true },
    clock: () => new Date('2026-12-01T00:00:00Z'),
    collectorTimeoutMs: 60_000,
    commandTimeoutMs: 15_000,
  });
  const report = evaluateSnapshot(snapshot, DEFAULT_CONFIG, new Date('2026-12-01T00:00:00Z'), {
    checks: sel.checks,
    profile: 'guide',
    startedAt: new Date(),
    durationMs: 0,
  });
  const t1 = performance.now();
  const out = await planFixes({
    target,
    rootDir,
    report,
    checks: sel.checks,
    allowDisruptive: args.includes('--allow-disruptive'),
    runId: `bench-${i}`,
  });
  const changed = new Map(out.plan ? out.plan.changes.map((c, k) => [out.planned.files[k]!.path, c.content] as const) : []);
  await lockoutProof({ target, live: rootDir === null, env: {}, changed, commands: [] });
  const t2 = performance.now();
  auditMs.push(t1 - t0);
  planMs.push(t2 - t1);
  summary = `requirements=${out.planned.requirements.length} planned=${out.planned.requirements.filter((r) => r.disposition === 'planned').length} files=${out.planned.files.length}`;
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
console.log(
  `fix-plan: target=${rootDir ?? 'live'} runs=${runs} ${summary} audit_median_ms=${med(auditMs).toFixed(0)} plan_median_ms=${med(planMs).toFixed(1)} plan_max_ms=${Math.max(...planMs).toFixed(1)}`,
);
