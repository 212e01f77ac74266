import type { DockerFacts } from '../../facts/docker.js';
import type { Evidence } from '../verdict.js';

/** Shared judgement of the docker.* checks. */

/** Compose projects compose itself would reject or not resolve: a verdict over their services is not known. */
export function composeProblems(d: DockerFacts): Evidence[] {
  return d.projects
    .filter((p) => p.status !== 'ok')
    .map((p) => ({
      ...(p.error?.source ?? { path: p.files[0] ?? '' }),
      message: `compose project ${p.name} cannot be evaluated: ${p.error?.reason ?? p.status}`,
    }));
}
