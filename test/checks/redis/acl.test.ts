import check from '../../../src/checks/redis/acl.js';
import { facts, instance, invalid, user } from './facts.js';
import { runCases } from '../run-cases.js';

runCases(
  check,
  {
    pass: [
      {
        name: 'aclfile users, default off',
        facts: facts(
          instance({
            acl: { kind: 'aclfile', source: { path: '/etc/redis/redis.conf', line: 9 }, aclfile: '/etc/redis/users.acl' },
            users: [user({ name: 'default', enabled: false }), user()],
          }),
        ),
        summary: /default user is off/,
      },
      {
        name: 'default restricted',
        facts: facts(instance({ users: [user({ name: 'default' }), user()] })),
        summary: /restricted/,
      },
    ],
    fail: [
      { name: 'no users, default +@all ~*', facts: facts(instance()), summary: /no ACL users are defined/ },
      {
        name: 'an enabled nopass +@all ~* user',
        facts: facts(
          instance({
            users: [
              user({ name: 'default', enabled: false }),
              user({ name: 'ops', nopass: true, allCommands: true, allKeys: true, passwords: [] }),
            ],
          }),
        ),
        summary: /user ops is on with nopass/,
      },
    ],
    unknown: [{ name: 'invalid configuration', facts: facts(instance(invalid)), summary: /invalid/ }],
  },
  { key: 'redis', live: false },
);
