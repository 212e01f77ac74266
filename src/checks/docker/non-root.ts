import { defineCheck } from '../define.js';
import { composeProblems } from './_lib.js';
import { fail, na, pass, unknown, warn, type Evidence } from '../verdict.js';

/** Docker runs a container as root when Config.User is empty, or names uid 0 / root (user[:group]). */
const isRoot = (u: string | null): boolean => u === null || u.trim() === '' || ['0', 'root'].includes(u.split(':')[0]?.trim() ?? '');

export default defineCheck({
  id: 'docker.non-root',
  remediation:
    'Set `user: "UID:GID"` (non-zero) on each compose service, or a non-root USER as the last USER of the Dockerfile\'s final stage, and recreate the containers.',
  fix: {
    fixes: ['docker.non-root'],
    risk: 'disruptive',
    steps: [{ kind: 'set-directive', service: 'compose', directive: 'user', value: '1000:1000' }],
    note: 'Takes effect when the containers are recreated (docker compose up -d); a service whose files belong to root may fail as UID 1000: check the volumes and the image first.',
  },
  needs: ['docker'],
  evaluate({ docker: d }) {
    const problems = composeProblems(d);
    if (d.workloads.length === 0 && problems.length === 0) return na('No compose service and no container to judge');
    const bad: Evidence[] = [];
    const good: Evidence[] = [];
    for (const w of d.workloads) {
      const u = w.settings.user;
      const from = w.settings.userFrom === 'dockerfile' ? 'Dockerfile USER' : w.settings.userFrom === 'live' ? 'Config.User' : 'user:';
      if (w.settings.userFrom === 'unknown') {
        bad.push({
          ...(w.composeSource ?? u.source),
          message: `${w.name} sets no user: (image ${w.settings.image.value ?? '?'} is pulled; its USER is not visible offline, and Docker's default is root)`,
        });
      } else if (isRoot(u.value)) {
        bad.push({
          ...u.source,
          message: `${w.name} runs as ${u.value === null || u.value === '' ? 'root (no user set)' : JSON.stringify(u.value)} (${from})`,
        });
      } else good.push({ ...u.source, message: `${w.name} runs as ${JSON.stringify(u.value)} (${from})` });
    }
    const drift: Evidence[] = d.workloads.flatMap((w) =>
      w.drift
        .filter((x) => x.field === 'user')
        .flatMap((x) => [
          { ...x.composeSource, message: `${w.name}: compose says user ${x.compose}` },
          { ...x.liveSource, message: `${w.name}: the running container has user ${x.live}` },
        ]),
    );
    if (bad.length > 0)
      return fail(`${bad.length} of ${d.workloads.length} service(s)/container(s) run as root: ${bad.map((b) => b.message).join('; ')}`, [
        ...bad,
        ...drift,
        ...problems,
      ]);
    if (problems.length > 0)
      return unknown(`Not every compose project could be read: ${problems.map((p) => p.message).join('; ')}`, [...problems, ...good]);
    if (drift.length > 0)
      return warn(`Every container runs as non-root, but the running user differs from the compose file (drift)`, drift);
    return pass(`All ${good.length} service(s)/container(s) run as non-root: ${good.map((g) => g.message).join('; ')}`, good);
  },
});
