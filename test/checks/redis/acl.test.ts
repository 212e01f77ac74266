import check from '../../../src/checks/redis/acl.js';
import { facts, instance, invalid, user } from './facts.js';
import { runCases } from './run.js';

runCases(check, [
  {
    name: 'aclfile users, default off',
    facts: facts(
      instance({
        acl: { kind: 'aclfile', source: { path: '/etc/redis/redis.conf', line: 9 }, aclfile: '/etc/redis/users.acl' },
        users: [user({ name: 'default', enabled: false }), user()],
      }),
    ),
    status: 'pass',
    summary: /default user is off/,
  },
  {
    name: 'default restricted',
    facts: facts(instance({ users: [user({ name: 'default' }), user()] })),
    status: 'pass',
    summary: /restricted/,
  },
  { name: 'no users, default +@all ~*', facts: facts(instance()), status: 'fail', summary: /no ACL users are defined/ },
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
    status: 'fail',
    summary: /user ops is on with nopass/,
  },
  { name: 'invalid configuration', facts: facts(instance(invalid)), status: 'unknown', summary: /invalid/ },
]);
