import check from '../../../src/checks/redis/requirepass.js';
import { at, facts, hashed, instance, invalid, liveOk, user, weak } from './facts.js';
import { runCases } from './run.js';

runCases(check, [
  { name: 'strong requirepass', facts: facts(instance()), status: 'pass', summary: /set and strong \(length 16-31, strength score 4\/4\)/ },
  {
    name: 'live: unauthenticated PING refused',
    facts: facts(instance({ live: liveOk() })),
    live: true,
    status: 'pass',
    summary: /unauthenticated PING refused \("NOAUTH"\)/,
  },
  {
    name: 'default user off, app user strong',
    facts: facts(
      instance({
        auth: { ...instance().auth, defaultEnabled: false, passwords: [] },
        users: [user({ name: 'default', enabled: false }), user()],
      }),
    ),
    status: 'pass',
    summary: /default user off/,
  },
  {
    name: 'weak (dictionary word)',
    facts: facts(instance({ auth: { ...instance().auth, passwords: [weak] } })),
    status: 'fail',
    summary: /weak: .*dictionary word/,
  },
  {
    name: 'no password (nopass)',
    facts: facts(
      instance({ auth: { ...instance().auth, defaultNopass: true, passwords: [], requirepass: { value: false, source: at(1) } } }),
    ),
    status: 'fail',
    summary: /nopass/,
  },
  {
    name: 'live: PING answered without AUTH',
    facts: facts(instance({ live: liveOk({ unauthenticated: { refused: false, reply: 'PONG', source: { command: 'redis PING' } } }) })),
    live: true,
    status: 'fail',
    summary: /PONG/,
  },
  {
    name: 'hashed only',
    facts: facts(instance({ auth: { ...instance().auth, passwords: [hashed] } })),
    status: 'warn',
    summary: /cannot be estimated/,
  },
  {
    name: 'drift: changed at runtime',
    facts: facts(
      instance({
        live: liveOk(),
        drift: [
          {
            setting: 'requirepass',
            disk: 'set',
            live: 'set, differs from the file',
            diskSource: at(1040),
            liveSource: { command: 'redis CONFIG GET requirepass' },
          },
        ],
      }),
    ),
    live: true,
    status: 'warn',
    summary: /differs/,
  },
  { name: 'invalid configuration', facts: facts(instance(invalid)), status: 'unknown', summary: /Unbalanced quotes/ },
  {
    name: 'live probe timed out',
    facts: facts(instance({ live: { ...liveOk(), state: 'error', detail: 'PING: no answer within 1000 ms' } })),
    live: true,
    status: 'unknown',
    summary: /no answer within/,
  },
]);
