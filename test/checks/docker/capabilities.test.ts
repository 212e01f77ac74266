import check from '../../../src/checks/docker/capabilities.js';
import { docker, workload } from './facts.js';
import { runCases } from './common.js';

const F = '/app/docker-compose.yml';
const nnpOff = { noNewPrivileges: { value: null, source: { path: '/etc/docker/daemon.json', note: 'not set' } } };
runCases(check, [
  { name: 'cap_drop ALL, no-new-privileges', facts: docker(), status: 'pass', summary: /drop ALL/ },
  {
    name: 'cap_drop ALL with NET_BIND_SERVICE added back',
    facts: docker({ workloads: [workload({}, { capAdd: { value: ['NET_BIND_SERVICE'], source: { path: F, line: 7 } } })] }),
    status: 'pass',
    summary: /added back NET_BIND_SERVICE/,
  },
  {
    name: 'privileged: true',
    facts: docker({ workloads: [workload({}, { privileged: { value: true, source: { path: F, line: 9 } } })] }),
    status: 'fail',
    summary: /privileged: true/,
  },
  {
    name: 'cap_add SYS_ADMIN',
    facts: docker({ workloads: [workload({}, { capAdd: { value: ['SYS_ADMIN'], source: { path: F, line: 7 } } })] }),
    status: 'fail',
    summary: /cap_add SYS_ADMIN/,
  },
  {
    name: 'no cap_drop',
    facts: docker({ workloads: [workload({}, { capDrop: { value: [], source: { path: F, line: 2, note: 'not set' } } })] }),
    status: 'fail',
    summary: /cap_drop not set/,
  },
  {
    name: 'no no-new-privileges anywhere',
    facts: docker({
      daemon: { ...docker().daemon, ...nnpOff },
      workloads: [workload({}, { securityOpt: { value: [], source: { path: F, line: 2, note: 'not set' } } })],
    }),
    status: 'fail',
    summary: /no-new-privileges/,
  },
  {
    name: 'no-new-privileges from daemon.json only',
    facts: docker({ workloads: [workload({}, { securityOpt: { value: [], source: { path: F, line: 2, note: 'not set' } } })] }),
    status: 'pass',
    summary: /from daemon.json/,
  },
]);
