// Compares the service settings Rampart derives from a compose file with `docker-compose config`
// (Debian 12's docker-compose 1.29, the real program) — shared by the suite and bench/agree-compose.ts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { collectDocker } from '../../src/collect/docker.js';
import type { DockerFacts } from '../../src/facts/docker.js';

type Svc = {
  user?: string | number;
  read_only?: boolean;
  privileged?: boolean;
  cap_add?: string[];
  cap_drop?: string[];
  network_mode?: string;
  security_opt?: string[];
};
export type Fields = Record<'user' | 'ro' | 'priv' | 'add' | 'drop' | 'net' | 'sec', unknown>;
export interface Comparison {
  /** Both accepted the file: per service and field, whether the values agree. */
  items: { service: string; field: keyof Fields; ours: unknown; theirs: unknown; agree: boolean }[];
  /** One accepted and the other refused (or both refused: agree). */
  refused: { ours: string | null; theirs: string | null } | null;
}

const up = (a: string[] | undefined) => [...(a ?? [])].map((x) => x.toUpperCase()).sort();

export async function compareCompose(text: string): Promise<Comparison> {
  const root = mkdtempSync(join(tmpdir(), 'rampart-compose-agree-'));
  try {
    mkdirSync(join(root, 'app'));
    writeFileSync(join(root, 'app', 'docker-compose.yml'), text);
    const r = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
      cwd: join(root, 'app'),
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin' },
      timeout: 60_000,
    });
    const f = await collectDocker({ target: new FsTarget({ root, name: 'fixture' }), config: DEFAULT_CONFIG, commandTimeoutMs: 5000 });
    if (f.state !== 'collected') throw new Error(`docker facts ${f.state}`);
    const d: DockerFacts = f.value;
    const p = d.projects[0];
    const ourError = p && p.status !== 'ok' ? (p.error?.reason ?? p.status) : null;
    const theirs = r.status === 0 ? (parse(r.stdout) as { services: Record<string, Svc> }).services : null;
    if (theirs === null || ourError !== null || d.workloads.length === 0) {
      return {
        items: [],
        refused: {
          ours: ourError ?? (d.workloads.length === 0 ? 'no workload' : null),
          theirs: theirs === null ? (r.stderr || r.error?.message || 'failed').split('\n')[0]! : null,
        },
      };
    }
    const items: Comparison['items'] = [];
    for (const w of d.workloads) {
      const t: Svc = theirs[w.service ?? ''] ?? {};
      const s = w.settings;
      const ours: Fields = {
        user: s.user.value,
        ro: s.readOnly.value,
        priv: s.privileged.value,
        add: [...s.capAdd.value].sort(),
        drop: [...s.capDrop.value].sort(),
        net: s.networkMode.value,
        sec: s.securityOpt.value,
      };
      const want: Fields = {
        user: t.user === undefined ? null : String(t.user),
        ro: t.read_only ?? false,
        priv: t.privileged ?? false,
        add: up(t.cap_add),
        drop: up(t.cap_drop),
        net: t.network_mode ?? null,
        sec: t.security_opt ?? [],
      };
      for (const k of Object.keys(ours) as (keyof Fields)[])
        items.push({
          service: w.service ?? '',
          field: k,
          ours: ours[k],
          theirs: want[k],
          agree: JSON.stringify(ours[k]) === JSON.stringify(want[k]),
        });
    }
    return { items, refused: null };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
