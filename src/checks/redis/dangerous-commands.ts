import type { RedisDangerousCommand, RedisInstance } from '../../facts/redis.js';
import { judgeInstances, undecidable } from './_lib.js';
import { defineCheck, type EvalContext } from '../define.js';
import { fail, pass, unknown, type Evidence, type Verdict } from '../verdict.js';

const COMMANDS: RedisDangerousCommand[] = ['flushdb', 'flushall', 'config', 'debug', 'keys', 'shutdown', 'module'];

function judge(i: RedisInstance, ctx: EvalContext): Verdict {
  const u = undecidable(i, ctx.live);
  if (u) return unknown(u.reason, u.source);
  const open: Evidence[] = [];
  const unsure: Evidence[] = [];
  const disabled: string[] = [];
  const enabled = i.users.filter((x) => x.enabled);
  for (const c of COMMANDS) {
    const r = i.renamed[c];
    if (r?.value === 'removed') {
      disabled.push(`${c.toUpperCase()} removed`);
      continue;
    }
    const toggle = c === 'debug' ? i.enableDebug : c === 'module' ? i.enableModule : null;
    if (toggle && toggle.value === 'no') {
      disabled.push(`${c.toUpperCase()} off (enable-${c}-command no)`);
      continue;
    }
    if (r?.value === 'renamed')
      open.push({ ...r.source, message: `${c.toUpperCase()} is renamed to another name: still callable by whoever knows it` });
    for (const x of enabled) {
      const p = x.dangerous[c];
      if (p.allowed === true) open.push({ ...p.source, message: `user ${x.name} may run ${c.toUpperCase()} (${p.how})` });
      else if (p.allowed === null) unsure.push({ ...p.source, message: `user ${x.name}, ${c.toUpperCase()}: ${p.how}` });
    }
  }
  const names = enabled.map((x) => x.name).join(', ') || 'none';
  if (open.length > 0) return fail(`dangerous commands are available: ${open.map((e) => e.message).join('; ')}`, open);
  if (unsure.length > 0)
    return unknown(`whether some dangerous commands are denied cannot be determined: ${unsure.map((e) => e.message).join('; ')}`, unsure);
  const how = i.live.dryrun.state === 'ok' ? ' (ACL DRYRUN for each enabled user)' : '';
  return pass(
    `FLUSHDB, FLUSHALL, CONFIG, DEBUG, KEYS, SHUTDOWN, MODULE are removed or denied to every enabled user (${names})${how}${disabled.length ? `; ${disabled.join(', ')}` : ''}`,
    enabled.map((x) => ({ ...x.source, message: `user ${x.name}: ${x.commandRules}` })),
  );
}

export default defineCheck({
  id: 'redis.dangerous-commands',
  remediation:
    'Deny them in the ACL of every enabled user (`user app on >… ~app:* +@all -@dangerous`), or `rename-command FLUSHALL ""` (and the others) in redis.conf; restart Redis.',
  needs: ['redis'],
  evaluate({ redis }, ctx) {
    return judgeInstances(redis, (i) => judge(i, ctx));
  },
});
