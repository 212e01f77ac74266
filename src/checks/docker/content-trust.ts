import { defineCheck } from '../define.js';
import { fail, na, pass, unknown } from '../verdict.js';
import type { Source } from '../../facts/evidence.js';

const PINNED = /@sha256:[0-9a-f]{64}$|^sha256:[0-9a-f]{64}$/;

export default defineCheck({
  id: 'docker.content-trust',
  remediation:
    "Set DOCKER_CONTENT_TRUST=1 where images are pulled (a docker.service drop-in Environment=, /etc/environment or the deploy user's profile), or pin every image by digest (image: name@sha256:…).",
  needs: ['docker'],
  evaluate({ docker: d }) {
    const images: { ref: string; source: Source }[] = [];
    for (const w of d.workloads) {
      // The compose definition names what is pulled; a built service pulls its Dockerfile's FROM images.
      const s = w.compose ?? w.settings;
      if (s.image.value !== null && !(w.compose && s.baseImages.length > 0)) images.push({ ref: s.image.value, source: s.image.source });
      for (const b of s.baseImages) images.push({ ref: b.value, source: b.source });
    }
    if (images.length === 0 && d.contentTrust.length === 0)
      return na('No images are deployed (no compose image:, no Dockerfile FROM, no container)');
    const on = d.contentTrust.filter((c) => c.value === '1');
    const off = d.contentTrust.filter((c) => c.value !== '1');
    const unpinned = images.filter((i) => !PINNED.test(i.ref));
    if (off.length > 0)
      return fail(
        `DOCKER_CONTENT_TRUST is set to ${off.map((o) => JSON.stringify(o.value)).join(', ')}`,
        off.map((o) => ({ ...o.source, message: `DOCKER_CONTENT_TRUST=${o.value}` })),
      );
    const denied = d.contentTrustDenied ?? [];
    const deniedEvidence = denied.map((p) => ({ path: p, message: `${p}: permission denied` }));
    if (on.length > 0 && denied.length > 0)
      return unknown(
        `DOCKER_CONTENT_TRUST=1 is set, but ${denied.join(', ')} could not be read (permission denied): a 0 there would turn it off`,
        [...on.map((o) => o.source), ...deniedEvidence],
      );
    if (on.length > 0)
      return pass(
        `DOCKER_CONTENT_TRUST=1 in the deploying environment (${on.map((o) => `${o.source.path ?? ''}:${o.source.line ?? ''}`).join(', ')})`,
        on.map((o) => o.source),
      );
    if (unpinned.length === 0)
      return pass(
        `All ${images.length} image(s) are pinned by digest`,
        images.map((i) => ({ ...i.source, message: i.ref })),
      );
    if (denied.length > 0)
      return unknown(
        `${unpinned.length} image(s) are not pinned by digest and DOCKER_CONTENT_TRUST is not set in what could be read; ${denied.join(', ')} could not be read (permission denied)`,
        [...unpinned.map((u) => ({ ...u.source, message: `image ${u.ref} is not pinned by digest` })), ...deniedEvidence],
      );
    const searched = d.contentTrustSearched.length > 0 ? d.contentTrustSearched.join(', ') : 'no environment file';
    return fail(
      `DOCKER_CONTENT_TRUST=1 is not set (searched ${searched}) and ${unpinned.length} image(s) are not pinned by digest: ${[...new Set(unpinned.map((u) => u.ref))].join(', ')}`,
      unpinned.map((u) => ({ ...u.source, message: `image ${u.ref} is not pinned by digest` })),
    );
  },
});
