import check from '../../../src/checks/docker/read-only-rootfs.js';
import { docker, workload } from './facts.js';
import { runCases } from '../run-cases.js';

const F = '/app/docker-compose.yml';
runCases(
  check,
  {
    pass: [{ name: 'read_only: true with tmpfs /tmp', facts: docker(), summary: /read-only root/ }],
    fail: [
      {
        name: 'read_only not set',
        facts: docker({
          workloads: [workload({}, { readOnly: { value: false, source: { path: F, line: 2, note: 'read_only not set' } } })],
        }),
        summary: /read_only is not set/,
      },
      {
        name: 'override file turns read_only off',
        facts: docker({
          workloads: [workload({}, { readOnly: { value: false, source: { path: '/app/docker-compose.override.yml', line: 4 } } })],
        }),
        summary: /read_only is false/,
      },
      {
        name: 'drift: compose true, container false',
        facts: docker({
          workloads: [
            workload(
              {
                drift: [
                  {
                    field: 'readOnly',
                    compose: 'true',
                    live: 'false',
                    composeSource: { path: F, line: 5 },
                    liveSource: { command: 'GET /containers/abc/json' },
                  },
                ],
              },
              { readOnly: { value: false, source: { command: 'GET /containers/abc/json' } } },
            ),
          ],
        }),
        summary: /writable root/,
      },
    ],
    warn: [
      {
        name: 'drift only (both read-only, user differs)',
        facts: docker({
          workloads: [
            workload({
              drift: [
                {
                  field: 'readOnly',
                  compose: 'false',
                  live: 'true',
                  composeSource: { path: F, line: 5 },
                  liveSource: { command: 'GET /containers/abc/json' },
                },
              ],
            }),
          ],
        }),
        summary: /drift/,
      },
    ],
    na: [{ name: 'no services', facts: docker({ projects: [], workloads: [] }), summary: /No compose service/ }],
  },
  { key: 'docker' },
);
