import check from '../../../src/checks/docker/non-root.js';
import { docker, workload } from './facts.js';
import { runCases } from '../run-cases.js';

const live = { command: 'GET /containers/abc/json (lms_app_1)' };
runCases(
  check,
  {
    pass: [
      { name: 'compose user: 1000:1000', facts: docker(), summary: /run as non-root.*"1000:1000"/ },
      {
        name: 'Dockerfile USER app',
        facts: docker({
          workloads: [workload({}, { userFrom: 'dockerfile', user: { value: 'app', source: { path: '/app/Dockerfile', line: 9 } } })],
        }),
        summary: /"app" \(Dockerfile USER\)/,
      },
    ],
    fail: [
      {
        name: 'user: root',
        facts: docker({ workloads: [workload({}, { user: { value: 'root', source: { path: '/app/docker-compose.yml', line: 4 } } })] }),
        summary: /runs as "root"/,
      },
      {
        name: 'user: "0:0"',
        facts: docker({ workloads: [workload({}, { user: { value: '0:0', source: { path: '/app/docker-compose.yml', line: 4 } } })] }),
        summary: /"0:0"/,
      },
      {
        name: 'pulled image without user:',
        facts: docker({
          workloads: [
            workload(
              {},
              { userFrom: 'unknown', user: { value: null, source: { path: '/app/docker-compose.yml', line: 2, note: 'user not set' } } },
            ),
          ],
        }),
        summary: /sets no user:/,
      },
      {
        name: 'Dockerfile without USER',

        facts: docker({
          workloads: [
            workload({}, { userFrom: 'dockerfile', user: { value: null, source: { path: '/app/Dockerfile', note: 'no USER' } } }),
          ],
        }),
        summary: /root \(no user set\)/,
      },
      {
        name: 'live Config.User empty',
        facts: docker({ workloads: [workload({ compose: null }, { userFrom: 'live', user: { value: null, source: live } })] }),
        summary: /root/,
      },
    ],
    warn: [
      {
        name: 'drift: compose 1000, container 1001',
        facts: docker({
          workloads: [
            workload(
              {
                drift: [
                  {
                    field: 'user',
                    compose: '"1000"',
                    live: '"1001"',
                    composeSource: { path: '/app/docker-compose.yml', line: 4 },
                    liveSource: live,
                  },
                ],
              },
              { userFrom: 'live', user: { value: '1001', source: live } },
            ),
          ],
        }),
        summary: /drift/,
      },
    ],
    na: [{ name: 'nothing to judge', facts: docker({ projects: [], workloads: [] }), summary: /No compose service/ }],
    unknown: [
      {
        name: 'invalid compose project',
        facts: docker({
          projects: [
            {
              name: 'lms',
              files: ['/app/docker-compose.yml'],
              origin: 'discovered',
              status: 'unresolved',
              error: { reason: 'required variable DB_PASSWORD is missing', source: { path: '/app/docker-compose.yml', line: 7 } },
              envFile: null,
              services: [],
            },
          ],
          workloads: [],
        }),
        summary: /DB_PASSWORD/,
      },
    ],
  },
  { key: 'docker' },
);
