import type { DockerFacts, DockerSettings, DockerWorkload } from '../../../src/facts/docker.js';

const F = '/app/docker-compose.yml';

/** Compose settings of a hardened service (the guide's app), each value with its file:line. */
export function settings(over: Partial<DockerSettings> = {}): DockerSettings {
  return {
    image: { value: 'registry.example/lms-app:1.4', source: { path: F, line: 3 } },
    user: { value: '1000:1000', source: { path: F, line: 4 } },
    userFrom: 'compose',
    readOnly: { value: true, source: { path: F, line: 5 } },
    privileged: { value: false, source: { path: F, line: 2, note: 'privileged not set in service "app"' } },
    capAdd: { value: [], source: { path: F, line: 2, note: 'cap_add not set' } },
    capDrop: { value: ['ALL'], source: { path: F, line: 6 } },
    securityOpt: { value: ['no-new-privileges:true'], source: { path: F, line: 8 } },
    networkMode: { value: null, source: { path: F, line: 2, note: 'not set' } },
    pidMode: { value: null, source: { path: F, line: 2, note: 'not set' } },
    ipcMode: { value: null, source: { path: F, line: 2, note: 'not set' } },
    mounts: [{ type: 'tmpfs', source: null, target: '/tmp', readOnly: false, at: { path: F, line: 10 } }],
    baseImages: [],
    ...over,
  };
}

export function workload(over: Partial<DockerWorkload> = {}, s: Partial<DockerSettings> = {}): DockerWorkload {
  return {
    name: 'lms/app',
    project: 'lms',
    service: 'app',
    composeSource: { path: F, line: 2 },
    container: null,
    settings: settings(s),
    compose: null,
    drift: [],
    ...over,
  };
}

export function docker(over: Partial<DockerFacts> = {}): DockerFacts {
  const src = (k: string) => ({ path: '/etc/docker/daemon.json', line: k === 'icc' ? 2 : k === 'live' ? 3 : k === 'nnp' ? 4 : 6 });
  return {
    installed: true,
    installedEvidence: [{ path: '/usr/sbin/dockerd' }],
    composeSearchDirs: ['/app', '/opt', '/srv'],
    projects: [{ name: 'lms', files: [F], origin: 'discovered', status: 'ok', error: null, envFile: null, services: ['app'] }],
    workloads: [workload()],
    daemon: {
      path: '/etc/docker/daemon.json',
      status: 'ok',
      error: null,
      noNewPrivileges: { value: true, source: src('nnp') },
      icc: { value: false, source: src('icc') },
      liveRestore: { value: true, source: src('live') },
      logDriver: { value: null, source: { path: '/etc/docker/daemon.json', note: 'not set' } },
      logMaxSize: { value: '10m', source: src('max') },
    },
    engine: {
      state: 'offline',
      detail: 'offline',
      host: 'unix:///var/run/docker.sock',
      source: { note: 'offline' },
      version: null,
      apiVersion: null,
    },
    scanners: [],
    scanReportDirs: ['/var/lib/trivy/reports'],
    scanReports: [],
    scanReportErrors: [],
    contentTrust: [],
    contentTrustSearched: ['/etc/environment'],
    ...over,
  };
}
