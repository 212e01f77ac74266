import type { RedisInstance } from '../../facts/redis.js';
import { configUnreadable, isLoopback, isWildcard, judgeInstances, undecidable } from './_lib.js';
import { defineCheck, type EvalContext } from '../define.js';
import { fail, pass, unknown, warn, type Verdict } from '../verdict.js';

function judge(i: RedisInstance, ctx: EvalContext): Verdict {
  const u = undecidable(i, ctx.live);
  if (u) return unknown(u.reason, u.source);
  const cfg = configUnreadable(i);
  if (cfg) return unknown(`the running bind and protected-mode cannot be read: ${cfg}`, { note: cfg });
  const internal = new Set(ctx.config.redis_internal_addresses);
  const addrs = i.bind.value;
  const shown = addrs.join(' ') || '(empty)';
  const bad = addrs.filter((a) => isWildcard(a) || (!isLoopback(a) && !internal.has(a.replace(/^-/, ''))));
  const problems: string[] = [];
  if (bad.length > 0)
    problems.push(
      `bind "${shown}" includes ${bad.map((b) => `"${b}"`).join(', ')}${i.bind.defaulted ? ' (bind is not set: Redis 7 binds every interface)' : ''}`,
    );
  if (i.protectedMode.value !== 'yes') problems.push(`protected-mode is "${i.protectedMode.value}"`);
  const evidence = [
    { ...i.bind.source, message: `bind ${shown}` },
    { ...i.protectedMode.source, message: `protected-mode ${i.protectedMode.value}` },
  ];
  if (problems.length > 0) return fail(problems.join('; '), evidence);
  const drift = i.drift.filter((d) => d.setting === 'bind' || d.setting === 'protected-mode');
  if (drift.length > 0)
    return warn(
      `${drift.map((d) => `${d.setting} on disk "${d.disk}", running "${d.live}"`).join('; ')} (changed at runtime)`,
      drift.flatMap((d) => [
        { ...d.diskSource, message: 'on disk' },
        { ...d.liveSource, message: 'running' },
      ]),
    );
  const extra = addrs.filter((a) => !isLoopback(a));
  return pass(
    `bind "${shown}"${extra.length ? ` (${extra.join(', ')} listed in redis_internal_addresses)` : ''}, protected-mode yes`,
    evidence,
  );
}

export default defineCheck({
  id: 'redis.bind-local',
  remediation:
    'Set `bind 127.0.0.1 -::1` (plus only the internal addresses listed in redis_internal_addresses) and `protected-mode yes` in /etc/redis/redis.conf, then restart Redis.',
  fix: {
    fixes: ['redis.bind-local'],
    risk: 'disruptive',
    steps: [
      { kind: 'set-directive', service: 'redis', directive: 'bind', value: '127.0.0.1 -::1' },
      { kind: 'set-directive', service: 'redis', directive: 'protected-mode', value: 'yes' },
    ],
    note: 'Redis restarts and stops listening on other addresses: clients on other hosts lose it (list them in redis_internal_addresses first).',
  },
  needs: ['redis'],
  evaluate({ redis }, ctx) {
    return judgeInstances(redis, (i) => judge(i, ctx));
  },
});
