import assert from 'node:assert/strict';
import check from '../../../src/checks/svc/expected-running.js';
import type { ServiceFacts, ServiceProcess } from '../../../src/facts/services.js';
import { runCases } from '../run-cases.js';

const proc = (pid: number, uid: number, user: string, port: number | null, comm = 'redis-server'): ServiceProcess => ({
  pid,
  ppid: 1,
  uid,
  user,
  comm,
  command: comm,
  matchedBy: 'comm',
  listening: port ? [{ proto: 'tcp', address: '127.0.0.1', port }] : [],
  socketsError: null,
  source: { path: `/proc/${pid}`, excerpt: comm },
});
const facts = (services: ServiceFacts['services']): ServiceFacts => ({ services, source: { path: '/proc' } });
const svc = (name: string, processes: ServiceProcess[]) => ({ name, source: { note: 'config.services' }, processes });

const all = facts([
  svc('postgres', [proc(10, 105, 'postgres', 5432, 'postgres')]),
  svc('redis-server', [proc(20, 106, 'redis', 6379)]),
  svc('uvicorn', [proc(30, 1000, 'app', 8000, 'uvicorn')]),
]);
runCases(
  check,
  {
    pass: [
      { name: 'all run unprivileged', facts: all, summary: /postgres \(1\), redis-server \(1\), uvicorn \(1\)/ },
      {
        name: 'nginx master as root is by design',
        facts: facts([svc('nginx', [proc(40, 0, 'root', 80, 'nginx'), proc(41, 33, 'www-data', 80, 'nginx')])]),
        summary: /nginx \(2\)/,
      },
    ],
    fail: [
      {
        name: 'redis missing',
        facts: facts([svc('postgres', [proc(10, 105, 'postgres', 5432, 'postgres')]), svc('redis-server', [])]),
        summary: /not running: redis-server/,
      },
      {
        name: 'redis as root',
        facts: facts([svc('redis-server', [proc(20, 0, 'root', 6379)])]),
        summary: /running as root: redis-server/,
      },
    ],
    unknown: [
      { name: 'offline: needs a live host', facts: all, live: false, summary: /needs a live host/ },
      { name: 'no service configured', facts: facts([]), summary: /empty/ },
    ],
  },
  {
    key: 'services',
    verify: (r, status) => {
      if (status === 'pass') assert.ok(r.findings.some((f) => /pid \d+ user \S+.*listening 127\.0\.0\.1:\d+\/tcp/.test(f.message)));
    },
  },
);
