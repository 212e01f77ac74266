import check from '../../../src/checks/docker/host-isolation.js';
import { docker, workload } from './facts.js';
import { runCases } from '../run-cases.js';

const F = '/app/docker-compose.yml';
const D = '/etc/docker/daemon.json';
runCases(
  check,
  {
    pass: [{ name: 'no host sharing, daemon.json hardened', facts: docker(), summary: /no docker.sock/, profile: 'strict' }],
    fail: [
      {
        name: 'docker.sock mounted',
        facts: docker({
          workloads: [
            workload(
              {},
              {
                mounts: [
                  {
                    type: 'bind',
                    source: '/var/run/docker.sock',
                    target: '/var/run/docker.sock',
                    readOnly: true,
                    at: { path: F, line: 11 },
                  },
                ],
              },
            ),
          ],
        }),
        summary: /Docker socket/,
        profile: 'strict',
      },
      {
        name: 'network_mode: host',
        facts: docker({ workloads: [workload({}, { networkMode: { value: 'host', source: { path: F, line: 12 } } })] }),
        summary: /host's network namespace/,
        profile: 'strict',
      },
      {
        name: 'bind mount of /etc',
        facts: docker({
          workloads: [
            workload({}, { mounts: [{ type: 'bind', source: '/etc', target: '/host-etc', readOnly: true, at: { path: F, line: 11 } }] }),
          ],
        }),
        summary: /host's \/etc/,
        profile: 'strict',
      },
      {
        name: 'daemon.json missing',

        facts: docker({ daemon: { ...docker().daemon, status: 'missing', icc: { value: null, source: { path: D, note: 'not set' } } } }),
        summary: /icc is not set/,
        profile: 'strict',
      },
      {
        name: 'daemon.json malformed',
        facts: docker({
          daemon: {
            ...docker().daemon,
            status: 'invalid',
            error: { reason: 'invalid JSON at line 3, column 1: expected a "key" (trailing comma?)', source: { path: D, line: 3 } },
          },
        }),
        summary: /line 3, column 1/,
        profile: 'strict',
      },
      {
        name: 'no log max-size',

        facts: docker({ daemon: { ...docker().daemon, logMaxSize: { value: null, source: { path: D, note: 'not set' } } } }),
        summary: /max-size not set/,
        profile: 'strict',
      },
    ],
    na: [
      {
        name: 'nothing installed',
        facts: docker({ installed: false, projects: [], workloads: [], daemon: { ...docker().daemon, status: 'missing' } }),
        summary: /No compose service/,
        profile: 'strict',
      },
    ],
  },
  { key: 'docker' },
);
