import check from '../../../src/checks/docker/capabilities.js';
import { docker, workload } from './facts.js';
import { runCases } from '../run-cases.js';

const F = '/app/docker-compose.yml';
const nnpOff = { noNewPrivileges: { value: null, source: { path: '/etc/docker/daemon.json', note: 'not set' } } };
runCases(
  check,
  {
    pass: [
      { name: 'cap_drop ALL, no-new-privileges', facts: docker(), summary: /drop ALL/ },
      {
        name: 'cap_drop ALL with NET_BIND_SERVICE added back',
        facts: docker({ workloads: [workload({}, { capAdd: { value: ['NET_BIND_SERVICE'], source: { path: F, line: 7 } } })] }),
        summary: /added back NET_BIND_SERVICE/,
      },
      {
        name: 'no-new-privileges from daemon.json only',
        facts: docker({ workloads: [workload({}, { securityOpt: { value: [], source: { path: F, line: 2, note: 'not set' } } })] }),
        summary: /from daemon.json/,
      },
    ],
    fail: [
      {
        name: 'privileged: true',
        facts: docker({ workloads: [workload({}, { privileged: { value: true, source: { path: F, line: 9 } } })] }),
        summary: /privileged: true/,
      },
      {
        name: 'cap_add SYS_ADMIN',
        facts: docker({ workloads: [workload({}, { capAdd: { value: ['SYS_ADMIN'], source: { path: F, line: 7 } } })] }),
        summary: /cap_add SYS_ADMIN/,
      },
      {
        name: 'no cap_drop',
        facts: docker({ workloads: [workload({}, { capDrop: { value: [], source: { path: F, line: 2, note: 'not set' } } })] }),
        summary: /cap_drop not set/,
      },
      {
        name: 'no no-new-privileges anywhere',
        facts: docker({
          daemon: { ...docker().daemon, ...nnpOff },
          workloads: [workload({}, { securityOpt: { value: [], source: { path: F, line: 2, note: 'not set' } } })],
        }),
        summary: /no-new-privileges/,
      },
    ],
  },
  { key: 'docker' },
);
