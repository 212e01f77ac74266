import { defineCheck } from '../define.js';
import { composeProblems } from './_lib.js';
import { fail, na, pass, unknown, warn, type Evidence } from '../verdict.js';

/** Capabilities the requirement names as dangerous to add back (capabilities(7)). */
const DANGEROUS = ['SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'DAC_READ_SEARCH', 'ALL'];
const isNoNewPrivs = (o: string) => /^no-new-privileges(?:[:=]true)?$/i.test(o.trim());

export default defineCheck({
  id: 'docker.capabilities',
  remediation:
    'Per service: `cap_drop: [ALL]`, add back only what is needed (never SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, DAC_READ_SEARCH), no `privileged: true`, and `security_opt: ["no-new-privileges:true"]` (or "no-new-privileges": true in daemon.json).',
  fix: {
    fixes: ['docker.capabilities'],
    risk: 'disruptive',
    steps: [
      { kind: 'set-directive', service: 'compose', directive: 'cap_drop', value: 'ALL' },
      { kind: 'set-directive', service: 'compose', directive: 'security_opt', value: 'no-new-privileges:true' },
    ],
    note: 'Takes effect when the containers are recreated (docker compose up -d); privileged: true and dangerous cap_add entries are not removed (the application owner decides what it needs).',
  },
  needs: ['docker'],
  evaluate({ docker: d }) {
    const problems = composeProblems(d);
    if (d.workloads.length === 0 && problems.length === 0) return na('No compose service and no container to judge');
    const daemonNnp = d.daemon.noNewPrivileges.value === true;
    const bad: Evidence[] = [];
    const good: Evidence[] = [];
    for (const w of d.workloads) {
      const s = w.settings;
      const before = bad.length;
      const at = (src: Evidence) => (src.line || src.command ? src : (w.composeSource ?? src));
      if (s.privileged.value) bad.push({ ...s.privileged.source, message: `${w.name}: privileged: true (every capability, every device)` });
      if (!s.capDrop.value.includes('ALL'))
        bad.push({
          ...at(s.capDrop.source),
          message: `${w.name}: cap_drop ${s.capDrop.value.length > 0 ? `is [${s.capDrop.value.join(', ')}], without ALL` : "not set (Docker's default set stays)"}`,
        });
      const danger = s.capAdd.value.filter((c) => DANGEROUS.includes(c));
      if (danger.length > 0) bad.push({ ...at(s.capAdd.source), message: `${w.name}: cap_add ${danger.join(', ')}` });
      if (!s.securityOpt.value.some(isNoNewPrivs) && !daemonNnp)
        bad.push({ ...at(s.securityOpt.source), message: `${w.name}: security_opt has no no-new-privileges:true` });
      if (bad.length === before)
        good.push({
          ...at(s.capDrop.source),
          message: `${w.name}: cap_drop ALL${s.capAdd.value.length > 0 ? `, added back ${s.capAdd.value.join(', ')}` : ''}`,
        });
    }
    const drift: Evidence[] = d.workloads.flatMap((w) =>
      w.drift
        .filter((x) => ['privileged', 'capAdd', 'capDrop', 'securityOpt'].includes(x.field))
        .flatMap((x) => [
          { ...x.composeSource, message: `${w.name}: compose says ${x.field} ${x.compose}` },
          { ...x.liveSource, message: `${w.name}: the running container has ${x.field} ${x.live}` },
        ]),
    );
    const note = daemonNnp ? ' (no-new-privileges from daemon.json)' : '';
    if (bad.length > 0)
      return fail(`${bad.length} capability problem(s): ${bad.map((b) => b.message).join('; ')}`, [...bad, ...drift, ...problems]);
    if (problems.length > 0)
      return unknown(`Not every compose project could be read: ${problems.map((p) => p.message).join('; ')}`, [...problems, ...good]);
    if (drift.length > 0)
      return warn('Capabilities are limited, but running containers differ from their compose definition (drift)', drift);
    return pass(
      `All ${good.length} service(s)/container(s) drop ALL capabilities, none privileged, no-new-privileges set${note}: ${good.map((g) => g.message).join('; ')}`,
      good,
    );
  },
});
