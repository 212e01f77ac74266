import { defineCheck } from '../define.js';
import { composeProblems } from './_lib.js';
import { fail, na, pass, unknown, warn, type Evidence } from '../verdict.js';

export default defineCheck({
  id: 'docker.read-only-rootfs',
  remediation:
    'Set `read_only: true` on each service and give the paths it writes a tmpfs (`tmpfs: [/tmp]`) or a volume; recreate the containers.',
  fix: {
    fixes: ['docker.read-only-rootfs'],
    risk: 'disruptive',
    steps: [{ kind: 'set-directive', service: 'compose', directive: 'read_only', value: 'true' }],
    note: 'Takes effect when the containers are recreated (docker compose up -d); a service that writes outside its volumes needs a tmpfs (tmpfs: [/tmp]) or a volume for those paths.',
  },
  needs: ['docker'],
  evaluate({ docker: d }) {
    const problems = composeProblems(d);
    if (d.workloads.length === 0 && problems.length === 0) return na('No compose service and no container to judge');
    const bad: Evidence[] = [];
    const good: Evidence[] = [];
    for (const w of d.workloads) {
      const ro = w.settings.readOnly;
      const writable = w.settings.mounts.filter((m) => !m.readOnly).map((m) => `${m.type} ${m.target}`);
      const paths = writable.length > 0 ? `; writable: ${writable.join(', ')}` : '';
      if (ro.value) good.push({ ...ro.source, message: `${w.name}: read-only root file system${paths}` });
      else
        bad.push({
          ...(ro.source.line || ro.source.command ? ro.source : (w.composeSource ?? ro.source)),
          message: `${w.name}: read_only is ${ro.source.note ? 'not set' : 'false'} (writable root file system)`,
        });
    }
    const drift: Evidence[] = d.workloads.flatMap((w) =>
      w.drift
        .filter((x) => x.field === 'readOnly')
        .flatMap((x) => [
          { ...x.composeSource, message: `${w.name}: compose says read_only ${x.compose}` },
          { ...x.liveSource, message: `${w.name}: the running container has ReadonlyRootfs ${x.live}` },
        ]),
    );
    if (bad.length > 0)
      return fail(
        `${bad.length} of ${d.workloads.length} service(s)/container(s) have a writable root file system: ${bad.map((b) => b.message).join('; ')}`,
        [...bad, ...drift, ...problems],
      );
    if (problems.length > 0)
      return unknown(`Not every compose project could be read: ${problems.map((p) => p.message).join('; ')}`, [...problems, ...good]);
    if (drift.length > 0) return warn('Running containers are read-only, but differ from their compose definition (drift)', drift);
    return pass(`All ${good.length} service(s)/container(s) have a read-only root file system`, good);
  },
});
