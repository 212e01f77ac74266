import check from '../../../src/checks/redis/tls.js';
import type { RedisInstance } from '../../../src/facts/redis.js';
import { at, facts, instance, invalid } from './facts.js';
import { runCases } from '../run-cases.js';

const file = (value: string, exists = true) => ({
  value,
  source: at(400),
  file: exists
    ? { exists: true, type: 'file', mode: 0o640, error: null }
    : { exists: false, type: null, mode: null, error: 'no such file' },
});
const tls = (over: Partial<RedisInstance> = {}): Partial<RedisInstance> => ({
  tlsPort: { value: 6380, source: at(399) },
  tlsCertFile: file('/etc/redis/tls/redis.crt'),
  tlsKeyFile: file('/etc/redis/tls/redis.key'),
  port: { value: 0, source: at(138) },
  ...over,
});
runCases(
  check,
  {
    pass: [
      { name: 'TLS only, plaintext port 0', facts: facts(instance(tls())), summary: /plaintext port 0/ },
      {
        name: 'TLS, plaintext on loopback',
        facts: facts(instance(tls({ port: { value: 6379, source: at(138) } }))),
        summary: /loopback only/,
      },
    ],
    fail: [
      {
        name: 'TLS, plaintext on an internal address',
        facts: facts(
          instance(tls({ port: { value: 6379, source: at(138) }, bind: { value: ['10.0.1.5'], source: at(87), defaulted: false } })),
        ),
        summary: /also open on 10.0.1.5/,
      },
      { name: 'no tls-port', facts: facts(instance()), summary: /TLS is off/ },
      {
        name: 'key file missing',
        facts: facts(instance(tls({ tlsKeyFile: file('/etc/redis/tls/redis.key', false) }))),
        summary: /does not exist/,
      },
    ],
    unknown: [{ name: 'invalid configuration', facts: facts(instance(invalid)), summary: /invalid/ }],
  },
  { key: 'redis', live: false },
);
