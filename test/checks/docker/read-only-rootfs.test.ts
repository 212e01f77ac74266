import check from '../../../src/checks/docker/read-only-rootfs.js';
import { docker, workload } from './facts.js';
import { runCases } from './common.js';

const F = '/app/docker-compose.yml';
runCases(check, [
  { name: 'read_only: true with tmpfs /tmp', facts: docker(), status: 'pass', summary: /read-only root/ },
  {
    name: 'read_only not set',
    facts: docker({ workloads: [workload({}, { readOnly: { value: false, source: { path: F, line: 2, note: 'read_only not set' } } })] }),
    status: 'fail',
    summary: /read_only is not set/,
  },
  {
    name: 'override file turns read_only off',
    facts: docker({
      workloads: [workload({}, { readOnly: { value: false, source: { path: '/app/docker-compose.override.yml', line: 4 } } })],
    }),
    status: 'fail',
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
    status: 'fail',
    summary: /writable root/,
  },
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
    status: 'warn',
    summary: /drift/,
  },
  { name: 'no services', facts: docker({ projects: [], workloads: [] }), status: 'na', summary: /No compose service/ },
]);
