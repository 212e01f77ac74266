import check from '../../../src/checks/redis/dangerous-commands.js';
import type { RedisInstance } from '../../../src/facts/redis.js';
import { at, facts, instance, invalid, perms, user } from './facts.js';
import { runCases } from '../run-cases.js';

const removedAll: RedisInstance['renamed'] = Object.fromEntries(
  ['flushdb', 'flushall', 'config', 'debug', 'keys', 'shutdown', 'module'].map((c, n) => [c, { value: 'removed', source: at(300 + n) }]),
);
const restricted = [user({ name: 'default', enabled: false }), user()];
runCases(
  check,
  {
    pass: [
      { name: 'all renamed to ""', facts: facts(instance({ renamed: removedAll })), summary: /removed or denied/ },
      {
        name: 'denied by ACL to every enabled user',
        facts: facts(instance({ users: restricted })),
        summary: /every enabled user \(app\)/,
      },
    ],
    fail: [
      { name: 'default user +@all', facts: facts(instance()), summary: /user default may run FLUSHDB/ },
      {
        name: 'renamed to another name',
        facts: facts(instance({ users: restricted, renamed: { config: { value: 'renamed', source: at(300) } } })),
        summary: /CONFIG is renamed to another name/,
      },
      {
        name: 'enable-debug-command local, ACL allows DEBUG',
        facts: facts(
          instance({
            users: [user({ dangerous: { ...perms(false), debug: { allowed: true, how: '+debug', source: at(201) } } })],
            enableDebug: { value: 'local', source: at(50) },
          }),
        ),
        summary: /DEBUG/,
      },
    ],
    unknown: [
      {
        name: 'selectors: not knowable offline',
        facts: facts(instance({ users: [user({ dangerous: perms(null, 'selectors') })] })),
        summary: /cannot be determined/,
      },
      { name: 'invalid configuration', facts: facts(instance(invalid)), summary: /invalid/ },
    ],
  },
  { key: 'redis', live: false },
);
