import check from '../../../src/checks/docker/content-trust.js';
import { docker, workload } from './facts.js';
import { runCases } from '../run-cases.js';

const digest = `registry.example/lms-app@sha256:${'a'.repeat(64)}`;
runCases(
  check,
  {
    pass: [
      {
        name: 'DOCKER_CONTENT_TRUST=1 in a docker.service drop-in',
        facts: docker({ contentTrust: [{ value: '1', source: { path: '/etc/systemd/system/docker.service.d/trust.conf', line: 2 } }] }),
        summary: /DOCKER_CONTENT_TRUST=1/,
      },
      {
        name: 'every image pinned by digest',
        facts: docker({ workloads: [workload({}, { image: { value: digest, source: { path: '/app/docker-compose.yml', line: 3 } } })] }),
        summary: /pinned by digest/,
      },
    ],
    fail: [
      { name: 'tag only, no content trust', facts: docker(), summary: /not pinned by digest: registry.example\/lms-app:1.4/ },
      {
        name: 'DOCKER_CONTENT_TRUST=0 in /etc/environment',
        facts: docker({ contentTrust: [{ value: '0', source: { path: '/etc/environment', line: 1 } }] }),
        summary: /set to "0"/,
      },
      {
        name: 'built image with an unpinned FROM',
        facts: docker({
          workloads: [
            workload(
              {},
              {
                image: { value: null, source: { path: '/app/docker-compose.yml', line: 2, note: 'not set' } },
                baseImages: [{ value: 'python:3.12-slim', source: { path: '/app/Dockerfile', line: 1 } }],
              },
            ),
          ],
        }),
        summary: /python:3.12-slim/,
      },
    ],
    na: [{ name: 'no images', facts: docker({ workloads: [] }), summary: /No images/ }],
  },
  { key: 'docker' },
);
