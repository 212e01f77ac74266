import check from '../../../src/checks/redis/bind-local.js';
import { at, facts, instance, invalid, liveOk } from './facts.js';
import { runCases } from '../run-cases.js';

const bind = (value: string[], defaulted = false) => ({
  bind: { value, source: defaulted ? { path: '/etc/redis/redis.conf', note: 'default' } : at(87), defaulted },
});
runCases(
  check,
  {
    pass: [
      { name: 'Debian default 127.0.0.1 -::1', facts: facts(instance()), summary: /bind "127.0.0.1 -::1", protected-mode yes/ },
      {
        name: 'internal address allowed by config',
        facts: facts(instance(bind(['127.0.0.1', '10.0.1.5']))),
        config: { redis_internal_addresses: ['10.0.1.5'] },
        summary: /10.0.1.5 listed/,
      },
    ],
    fail: [
      { name: 'internal address not allowed', facts: facts(instance(bind(['127.0.0.1', '10.0.1.5']))), summary: /"10.0.1.5"/ },
      { name: 'bind 0.0.0.0', facts: facts(instance(bind(['0.0.0.0']))), summary: /"0.0.0.0"/ },
      {
        name: 'bind absent: Redis 7 default * -::*',
        facts: facts(instance(bind(['*', '-::*'], true))),
        summary: /every interface/,
      },
      {
        name: 'protected-mode no',
        facts: facts(instance({ protectedMode: { value: 'no', source: at(111) } })),
        summary: /protected-mode is "no"/,
      },
    ],
    warn: [
      {
        name: 'drift: bind changed at runtime',
        facts: facts(
          instance({
            live: liveOk(),
            drift: [
              {
                setting: 'bind',
                disk: '127.0.0.1',
                live: '127.0.0.1 -::1',
                diskSource: at(87),
                liveSource: { command: 'redis CONFIG GET bind' },
              },
            ],
          }),
        ),
        live: true,
        summary: /on disk "127.0.0.1", running/,
      },
    ],
    unknown: [
      {
        name: 'CONFIG renamed: running values unknown',
        facts: facts(instance({ live: liveOk({ configGet: { state: 'renamed', detail: 'CONFIG is not available under its name' } }) })),
        live: true,
        summary: /cannot be read/,
      },
      { name: 'invalid configuration', facts: facts(instance(invalid)), summary: /invalid/ },
    ],
  },
  { key: 'redis', live: false },
);
