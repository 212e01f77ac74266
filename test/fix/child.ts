// The engine in a child process that kills itself (SIGKILL: no handler runs) when it reaches a named
// step. test/fix/kill.test.ts bundles this file and runs it with plain node.
// argv[2]: JSON { op: 'apply' | 'rollback' | 'recover', stateDir, runId, killAt, plan? (contents base64), force? }
import { applyPlan } from '../../src/fix/apply.js';
import { rollbackRun } from '../../src/fix/rollback.js';
import { recoverInterrupted } from '../../src/fix/recover.js';
import type { FixPlan } from '../../src/fix/plan.js';
import { confirmDeadman, fireDeadman } from '../../src/fix/deadman.js';
import type { ChildArgs } from './setup.js';

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
  const step = (s: string): void => {
    if (s === a.killAt) process.kill(process.pid, 'SIGKILL');
  };
  let out: unknown;
  // Several children started together act at the same instant (the dead-man race).
  if (a.startAt !== undefined) await new Promise((r) => setTimeout(r, Math.max(0, a.startAt! - Date.now())));
  if (a.op === 'apply') {
    const p = a.plan!;
    const plan: FixPlan = { ...p, changes: p.changes.map((c) => ({ ...c, content: Buffer.from(c.content, 'base64') })) };
    out = await applyPlan(plan, { stateDir: a.stateDir, runId: a.runId, hooks: { step } });
  } else if (a.op === 'rollback') out = await rollbackRun(a.stateDir, a.runId, { hooks: { step } });
  else if (a.op === 'fire')
    out = await fireDeadman(a.stateDir, a.runId, { afterFiring: () => new Promise((r) => setTimeout(r, a.holdMs ?? 0)) });
  else if (a.op === 'confirm') {
    const r = await confirmDeadman(a.stateDir, a.runId, { SSH_CONNECTION: a.ssh ?? '' }, () => new Date());
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(r.ok ? 0 : 1);
  } else out = await recoverInterrupted(a.stateDir, { step });
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

await main();
