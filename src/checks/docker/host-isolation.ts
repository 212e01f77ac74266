import { defineCheck } from '../define.js';
import { composeProblems } from './_lib.js';
import { fail, na, pass, unknown, warn, type Evidence } from '../verdict.js';

const isDockerSocket = (p: string | null) => p !== null && /(^|\/)docker\.sock$/.test(p);
/** Bind mounts that hand the host to a container. */
const HOST_ROOTS = ['/', '/etc'];
/** Log drivers whose files dockerd rotates only with log-opts max-size (dockerd(8), json-file is the default). */
const NEEDS_MAX_SIZE = [null, 'json-file'];

export default defineCheck({
  id: 'docker.host-isolation',
  remediation:
    'Remove docker.sock mounts, host network/pid/ipc modes and bind mounts of / or /etc; in /etc/docker/daemon.json set "no-new-privileges": true, "icc": false, "live-restore": true and "log-opts": {"max-size": "10m"}.',
  fix: {
    fixes: ['docker.host-isolation'],
    risk: 'disruptive',
    steps: [
      { kind: 'set-directive', service: 'docker-daemon', directive: 'no-new-privileges', value: 'true' },
      { kind: 'set-directive', service: 'docker-daemon', directive: 'icc', value: 'false' },
      { kind: 'set-directive', service: 'docker-daemon', directive: 'live-restore', value: 'true' },
      { kind: 'set-directive', service: 'docker-daemon', directive: 'log-opts.max-size', value: '"10m"' },
    ],
    note: 'daemon.json only: dockerd is restarted (icc and no-new-privileges are read at start), containers on the default bridge no longer reach each other; docker.sock mounts, host namespaces and / or /etc bind mounts in compose files are left to the application owner.',
  },
  needs: ['docker'],
  evaluate({ docker: d }) {
    const problems = composeProblems(d);
    const daemonRelevant = d.installed || d.daemon.status !== 'missing';
    if (d.workloads.length === 0 && problems.length === 0 && !daemonRelevant)
      return na('No compose service, no container and no Docker daemon');
    const bad: Evidence[] = [];
    for (const w of d.workloads) {
      const s = w.settings;
      for (const m of s.mounts) {
        if (isDockerSocket(m.source))
          bad.push({ ...m.at, message: `${w.name}: mounts the Docker socket ${m.source ?? ''} at ${m.target}` });
        else if (m.type === 'bind' && m.source !== null && HOST_ROOTS.includes(m.source.replace(/(.)\/$/, '$1')))
          bad.push({ ...m.at, message: `${w.name}: bind-mounts the host's ${m.source} at ${m.target}` });
      }
      for (const [f, label] of [
        ['networkMode', 'network'],
        ['pidMode', 'pid'],
        ['ipcMode', 'ipc'],
      ] as const) {
        if (s[f].value === 'host')
          bad.push({
            ...s[f].source,
            message: `${w.name}: shares the host's ${label} namespace (${label === 'network' ? 'network_mode' : label}: host)`,
          });
      }
    }
    const dj = d.daemon;
    if (daemonRelevant) {
      if (dj.status === 'invalid')
        bad.push({
          ...(dj.error?.source ?? { path: dj.path }),
          message: `${dj.path} is invalid, dockerd refuses to start: ${dj.error?.reason ?? ''}`,
        });
      else if (dj.status === 'unreadable')
        problems.push({ path: dj.path, message: `${dj.path} cannot be read: ${dj.error?.reason ?? ''}` });
      else {
        const missing = dj.status === 'missing' ? ` (${dj.path} does not exist)` : '';
        if (dj.noNewPrivileges.value !== true)
          bad.push({
            ...dj.noNewPrivileges.source,
            path: dj.path,
            message: `daemon: no-new-privileges is ${String(dj.noNewPrivileges.value ?? 'not set')}${missing}`,
          });
        if (dj.icc.value !== false)
          bad.push({
            ...dj.icc.source,
            path: dj.path,
            message: `daemon: icc is ${String(dj.icc.value ?? 'not set (default true)')}${missing}`,
          });
        if (dj.liveRestore.value !== true)
          bad.push({
            ...dj.liveRestore.source,
            path: dj.path,
            message: `daemon: live-restore is ${String(dj.liveRestore.value ?? 'not set (default false)')}${missing}`,
          });
        if (NEEDS_MAX_SIZE.includes(dj.logDriver.value) && dj.logMaxSize.value === null)
          bad.push({
            ...dj.logMaxSize.source,
            path: dj.path,
            message: `daemon: log-opts max-size not set: json-file logs grow without limit${missing}`,
          });
      }
    }
    if (bad.length > 0)
      return fail(`${bad.length} host isolation problem(s): ${bad.map((b) => b.message).join('; ')}`, [...bad, ...problems]);
    if (problems.length > 0) return unknown(`Not everything could be read: ${problems.map((p) => p.message).join('; ')}`, problems);
    const drift: Evidence[] = d.workloads.flatMap((w) =>
      w.drift
        .filter((x) => ['networkMode', 'pidMode', 'ipcMode'].includes(x.field))
        .map((x) => ({
          ...x.liveSource,
          message: `${w.name}: compose says ${x.field} ${x.compose} (${x.composeSource.path ?? ''}:${x.composeSource.line ?? ''}), running ${x.live}`,
        })),
    );
    if (drift.length > 0) return warn('No host namespace or socket is shared, but running containers differ from compose (drift)', drift);
    const daemonNote = daemonRelevant
      ? `; ${dj.path} sets no-new-privileges, icc false, live-restore, log max-size ${dj.logMaxSize.value ?? `(driver ${dj.logDriver.value ?? ''})`}`
      : '';
    return pass(
      `${d.workloads.length} service(s)/container(s): no docker.sock, host namespace or / and /etc bind mount${daemonNote}`,
      daemonRelevant ? [dj.icc.source, dj.liveRestore.source] : { note: 'no daemon configuration to judge' },
    );
  },
});
