import check from '../../../src/checks/redis/requirepass.js';
import { at, facts, hashed, instance, invalid, liveOk, user, weak } from './facts.js';
import { runCases } from '../run-cases.js';

runCases(
  check,
  {
    pass: [
      { name: 'strong requirepass', facts: facts(instance()), summary: /set and strong \(length 16-31, strength score 4\/4\)/ },
      {
        name: 'live: unauthenticated PING refused',
        facts: facts(instance({ live: liveOk() })),
        live: true,
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
        summary: /default user off/,
      },
    ],
    fail: [
      {
        name: 'weak (dictionary word)',
        facts: facts(instance({ auth: { ...instance().auth, passwords: [weak] } })),
        summary: /weak: .*dictionary word/,
      },
      {
        name: 'no password (nopass)',
        facts: facts(
          instance({ auth: { ...instance().auth, defaultNopass: true, passwords: [], requirepass: { value: false, source: at(1) } } }),
        ),
        summary: /nopass/,
      },
      {
        name: 'live: PING answered without AUTH',
        facts: facts(instance({ live: liveOk({ unauthenticated: { refused: false, reply: 'PONG', source: { command: 'redis PING' } } }) })),
        live: true,
        summary: /PONG/,
      },
    ],
    warn: [
      {
        name: 'hashed only',
        facts: facts(instance({ auth: { ...instance().auth, passwords: [hashed] } })),
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
        summary: /differs/,
      },
    ],
    unknown: [
      { name: 'invalid configuration', facts: facts(instance(invalid)), summary: /Unbalanced quotes/ },
      {
        name: 'live probe timed out',
        facts: facts(instance({ live: { ...liveOk(), state: 'error', detail: 'PING: no answer within 1000 ms' } })),
        live: true,
        summary: /no answer within/,
      },
    ],
  },
  { key: 'redis', live: false },
);
