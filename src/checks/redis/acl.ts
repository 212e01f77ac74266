import type { RedisInstance } from '../../facts/redis.js';
import { judgeInstances, undecidable } from './_lib.js';
import { defineCheck, type EvalContext } from '../define.js';
import { fail, pass, unknown, type Evidence, type Verdict } from '../verdict.js';

function judge(i: RedisInstance, ctx: EvalContext): Verdict {
  const u = undecidable(i, ctx.live);
  if (u) return unknown(u.reason, u.source);
  const bad: Evidence[] = [];
  const others = i.users.filter((x) => x.name !== 'default');
  if (others.length === 0)
    bad.push({
      ...i.acl.source,
      message: 'no ACL users are defined (no user directives, no aclfile): everything runs as the default user',
    });
  const def = i.users.find((x) => x.name === 'default');
  if (def?.enabled && def.allCommands && def.allKeys)
    bad.push({ ...def.source, message: `the default user is on and unrestricted (${def.commandRules} ${def.keyRules})` });
  for (const x of i.users)
    if (x.enabled && x.nopass && x.allCommands && x.allKeys)
      bad.push({ ...x.source, message: `user ${x.name} is on with nopass and +@all ~*` });
  if (bad.length > 0) return fail(bad.map((b) => b.message).join('; '), bad);
  const list = i.users.map((x) => `${x.name} ${x.enabled ? 'on' : 'off'}${x.nopass ? ' nopass' : ''}`).join(', ');
  return pass(
    `ACL users defined (${i.acl.kind === 'live' ? 'ACL LIST' : i.acl.kind}): ${list}; the default user is ${def?.enabled ? 'restricted' : 'off'}`,
    i.users.map((x) => ({ ...x.source, message: `user ${x.name}` })),
  );
}

export default defineCheck({
  id: 'redis.acl',
  remediation:
    'Define application users with only the commands and keys they need (`user app on >… ~app:* +@read +@write -@dangerous`) in an aclfile, and turn the default user off (`user default off`).',
  needs: ['redis'],
  evaluate({ redis }, ctx) {
    return judgeInstances(redis, (i) => judge(i, ctx));
  },
});
