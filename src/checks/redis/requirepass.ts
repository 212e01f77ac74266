import { describeSecret, type RedisInstance } from '../../facts/redis.js';
import { judgeInstances, undecidable } from './_lib.js';
import { defineCheck, type EvalContext } from '../define.js';
import { fail, pass, unknown, warn, type Evidence, type Verdict } from '../verdict.js';

function judge(i: RedisInstance, ctx: EvalContext): Verdict {
  const u = undecidable(i, ctx.live);
  if (u) return unknown(u.reason, u.source);
  const a = i.auth;
  const anon = i.live.unauthenticated;
  if (anon.refused === false)
    return fail(`the server answers an unauthenticated PING ("${anon.reply}")`, { ...anon.source, message: 'no AUTH was sent' });
  const at: Evidence = { ...a.source, message: 'default user' };
  let secrets = a.passwords;
  let who = 'the default user';
  if (!a.defaultEnabled || (a.passwords.length === 0 && !a.defaultNopass)) {
    secrets = i.users.filter((x) => x.enabled && x.name !== 'default').flatMap((x) => x.passwords);
    who = 'the enabled ACL users (default user off)';
  } else if (a.defaultNopass) {
    return fail(`no password: the default user is on with nopass (requirepass ${a.requirepass.value ? 'set but overridden' : 'not set'})`, [
      at,
      { ...a.requirepass.source, message: 'requirepass' },
    ]);
  }
  const weak = secrets.filter((s) => s.strong === false);
  const live =
    anon.refused === true
      ? `; unauthenticated PING refused ("${anon.reply.split(' ')[0] ?? ''}")`
      : i.live.state === 'ok'
        ? ''
        : ` (${i.live.state}: not probed live)`;
  const drift = i.drift.filter((d) => d.setting === 'requirepass');
  if (weak.length > 0)
    return fail(`password of ${who} is set but weak: ${weak.map(describeSecret).join('; ')}`, [
      at,
      { ...a.requirepass.source, message: 'requirepass' },
    ]);
  if (drift.length > 0)
    return warn(
      `requirepass on disk is ${drift[0]!.disk}, running: ${drift[0]!.live} (changed at runtime, not persisted with CONFIG REWRITE)`,
      [
        { ...drift[0]!.diskSource, message: 'on disk' },
        { ...drift[0]!.liveSource, message: 'running' },
      ],
    );
  if (secrets.length === 0)
    return a.defaultEnabled ? fail(`${who} has no password`, at) : pass(`the default user is off and no other user is enabled${live}`, at);
  if (secrets.every((s) => s.strong === null))
    return warn(`a password is set for ${who} but stored as a hash, so its strength cannot be estimated${live}`, at);
  return pass(
    `password of ${who} is set and strong (${secrets
      .filter((s) => s.strong)
      .map(describeSecret)
      .join('; ')})${live}`,
    at,
  );
}

export default defineCheck({
  id: 'redis.requirepass',
  remediation:
    'Set `requirepass` (or `user default on >PASSWORD …`, or `user default off` with ACL users) to a random password of 16+ characters (e.g. `openssl rand -base64 32`), restart Redis and give the password to the application.',
  needs: ['redis'],
  evaluate({ redis }, ctx) {
    return judgeInstances(redis, (i) => judge(i, ctx), 'no Redis instance was found (installed, no configuration file, no process)');
  },
});
