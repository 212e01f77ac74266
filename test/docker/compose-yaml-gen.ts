// A seeded generator of compose files that share settings the way real projects do: x-* extension
// fields holding anchors, merge keys (single and lists, nested), aliases of sequences, and explicit
// keys that override what was merged. Shared by test/docker/compose-yaml.test.ts and
// bench/agree-compose.ts; the truth is Debian 12's `docker-compose config` (1.29).

import { rng } from '../rng.js';

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

type Setting = [key: string, yaml: string];
const CAPS = ['ALL', 'NET_ADMIN', 'SYS_ADMIN', 'CHOWN', 'NET_BIND_SERVICE', 'SETUID'];
function settings(r: () => number): Setting[] {
  const all: Setting[] = [
    ['read_only', pick(r, ['true', 'false', 'yes'])],
    ['privileged', pick(r, ['true', 'false'])],
    ['user', pick(r, ['"10001:10001"', 'root', '"0"', 'app', '"1000"'])],
    ['cap_drop', `[${[...new Set([pick(r, CAPS), pick(r, CAPS)])].join(', ')}]`],
    ['cap_add', `[${pick(r, CAPS.slice(1))}]`],
    ['security_opt', pick(r, ['[no-new-privileges:true]', '["no-new-privileges:false"]', '[seccomp:unconfined]'])],
    ['network_mode', pick(r, ['host', 'bridge', 'none'])],
  ];
  return all.filter(() => r() < 0.45);
}

/** One compose file (text) and a short label of what it exercises. */
export function generateCompose(seed: number): { text: string; label: string } {
  const r = rng(seed);
  const lines: string[] = ["version: '3.9'"];
  const anchors: string[] = [];
  const nAnchors = 1 + Math.floor(r() * 3);
  const labels: string[] = [];
  for (let a = 0; a < nAnchors; a++) {
    const name = `d${a}`;
    anchors.push(name);
    const own = settings(r);
    lines.push(`x-${name}: &${name}`);
    if (a > 0 && r() < 0.4) {
      lines.push(`  <<: *d${Math.floor(r() * a)}`);
      labels.push('nested-merge');
    }
    if (own.length === 0 && !(a > 0)) own.push(['read_only', 'true']);
    for (const [k, v] of own) lines.push(`  ${k}: ${v}`);
    if (own.length === 0) lines.push('  init: true');
  }
  if (r() < 0.3) {
    lines.push('x-caps: &caps [ALL]');
    anchors.push('caps-seq');
  }
  lines.push('services:');
  const nSvc = 1 + Math.floor(r() * 3);
  for (let i = 0; i < nSvc; i++) {
    lines.push(`  s${i}:`);
    lines.push(`    image: busybox:${i}`);
    const mode = r();
    const refs = anchors.filter((x) => x !== 'caps-seq');
    if (mode < 0.45) {
      lines.push(`    <<: *${pick(r, refs)}`);
      labels.push('merge');
    } else if (mode < 0.8 && refs.length > 1) {
      const list = [...new Set([pick(r, refs), pick(r, refs), pick(r, refs)])];
      lines.push(`    <<: [${list.map((x) => `*${x}`).join(', ')}]`);
      labels.push('merge-list');
    }
    for (const [k, v] of settings(r)) {
      if (k === 'cap_drop' && anchors.includes('caps-seq') && r() < 0.5) {
        lines.push('    cap_drop: *caps');
        labels.push('alias-seq');
      } else lines.push(`    ${k}: ${v}`);
    }
  }
  return { text: `${lines.join('\n')}\n`, label: [...new Set(labels)].join(',') || 'plain' };
}
