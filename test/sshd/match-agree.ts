// Compares the file model's effective configuration with the real `sshd -T -C` for every
// connection Rampart plans to judge (people and one witness per Match block) plus the global
// `sshd -T`, on generated configurations (test/sshd/match-gen.ts). Used by the suite
// (test/sshd/real-sshd.test.ts) and bench/agree-sshd.ts. The caller provides /run/sshd.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import { readLookup } from '../../src/collect/sshd.js';
import { OTHER_USER, connectionSpec, globalSpec, planContexts } from '../../src/collect/parse/sshd-contexts.js';
import {
  NO_CONNECTION,
  effectiveSshd,
  listenPorts,
  loadSshdModel,
  type MatchInput,
  type SshdModel,
} from '../../src/collect/parse/sshd-model.js';
import { OPENSSH_9_2_DEFAULTS } from '../../src/collect/parse/sshd-defaults.js';
import { generateSshd } from './match-gen.js';
import { rng } from '../rng.js';

export const AGREE_KEYS = [
  'permitrootlogin',
  'passwordauthentication',
  'kbdinteractiveauthentication',
  'pubkeyauthentication',
  'clientaliveinterval',
  'clientalivecountmax',
  'allowusers',
  'allowgroups',
  'x11forwarding',
  'tcpkeepalive',
  'usedns',
  'ciphers',
  'maxauthtries',
  'permitemptypasswords',
  'logingracetime',
  'allowtcpforwarding',
  'port',
];

/** The guide's reading of a value: a model value that passes where the real one fails is a false pass. */
const GOOD: Record<string, (v: string | undefined) => boolean> = {
  permitrootlogin: (v) => v === 'no',
  passwordauthentication: (v) => v === 'no',
  kbdinteractiveauthentication: (v) => v === 'no',
  pubkeyauthentication: (v) => v === 'yes',
  x11forwarding: (v) => v === 'no',
  usedns: (v) => v === 'no',
  permitemptypasswords: (v) => v === 'no',
  maxauthtries: (v) => Number(v) <= 3,
  ciphers: (v) => !/-cbc/.test(v ?? ''),
};

export function dump(
  config: string,
  hostKey: string,
  spec: string | null,
): { code: number; values: Record<string, string>; stderr: string } {
  const args = ['-T', '-f', config, '-h', hostKey, ...(spec ? ['-C', spec] : [])];
  // sshd -T needs /run/sshd: a private mount namespace with a tmpfs /run gives it one without touching
  // the machine's /run (tests elsewhere create and remove /run/sshd; this never races with them).
  const r = spawnSync(
    'unshare',
    [
      '-m',
      '--propagation',
      'private',
      'sh',
      '-c',
      'mount -t tmpfs tmpfs /run && mkdir /run/sshd && exec "$@"',
      'sh',
      '/usr/sbin/sshd',
      ...args,
    ],
    { encoding: 'utf8', timeout: 10_000 },
  );
  const values: Record<string, string> = {};
  for (const l of (r.stdout ?? '').split('\n')) {
    const sp = l.indexOf(' ');
    if (sp < 0) continue;
    const k = l.slice(0, sp);
    values[k] = k in values ? `${values[k]} ${l.slice(sp + 1)}` : l.slice(sp + 1);
  }
  return { code: r.status ?? -1, values, stderr: r.stderr ?? '' };
}

/** Writes the case under dir with every absolute Include pointed into it, as the real sshd must read it. */
function stage(dir: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  const real = join(dir, 'real');
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  for (const f of walk(join(dir, 'etc'))) {
    const out = join(real, f.slice(dir.length));
    mkdirSync(join(out, '..'), { recursive: true });
    writeFileSync(
      out,
      readFileSync(f, 'utf8').replace(/^(\s*Include\s+)(\/\S+)/gim, (_m, kw: string, p: string) => `${kw}${join(real, p)}`),
    );
  }
  return join(real, 'etc', 'ssh', 'sshd_config');
}

/** A generated case staged under dir (for the real sshd) and loaded by the file model. */
async function stagedCase(seed: number, dir: string, lookup: Lookup) {
  const c = generateSshd(seed);
  const config = stage(dir, c.files);
  const t = new FsTarget({ root: dir, name: `case-${seed}` });
  const model = await loadSshdModel(
    '/etc/ssh/sshd_config',
    {
      read: async (p) => {
        const x = await t.readText(p);
        return x.ok ? { ok: true, text: x.text } : { ok: false, message: x.message, kind: 'unreadable' };
      },
      glob: (p) => t.glob(p),
    },
    OPENSSH_9_2_DEFAULTS,
  );
  return { c, dir, config, model, global: effectiveSshd(model, NO_CONNECTION, lookup, OPENSSH_9_2_DEFAULTS) };
}

/** The connections Rampart plans for a case, as the collector plans them on a host with no admins. */
function planOf(model: SshdModel, lookup: Lookup, global: ReturnType<typeof effectiveSshd>) {
  return planContexts({
    model,
    lookup,
    admins: [],
    loginUsers: lookup.loginUsers,
    adminSources: ['198.51.100.0/24'],
    ports: listenPorts(global),
    listenAddresses: [],
    useDns: global.usedns?.value === 'yes',
  });
}

type Lookup = Awaited<ReturnType<typeof readLookup>>;

export interface AgreeResult {
  cases: number;
  items: number;
  agree: number;
  falsePass: number;
  /** Disagreements, at most a few per class: "seed 12 user=… keyword: ours X, sshd Y". */
  disagreements: string[];
  /** Cases the real sshd refused (not compared; the generator should not make them). */
  refused: string[];
}

export async function agreeSshd(seeds: readonly number[], work: string, hostKey: string): Promise<AgreeResult> {
  const lookup = await readLookup(new FsTarget({ name: 'host' }));
  const res: AgreeResult = { cases: 0, items: 0, agree: 0, falsePass: 0, disagreements: [], refused: [] };
  for (const seed of seeds) {
    const { c, dir, config, model, global } = await stagedCase(seed, join(work, `case-${seed}`), lookup);
    const g = dump(config, hostKey, globalSpec(model));
    if (g.code !== 0) {
      res.refused.push(`seed ${seed} (${c.label}): ${g.stderr.trim().split('\n')[0] ?? ''}`);
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    res.cases++;
    const specs = planOf(model, lookup, global).filter((s) => !s.forced);
    const runs: [string, MatchInput | null, Record<string, string>][] = [['global', null, g.values]];
    for (const s of specs) {
      const spec = connectionSpec(s.input);
      const d = dump(config, hostKey, spec);
      if (d.code !== 0) {
        res.disagreements.push(`seed ${seed} ${spec}: sshd -T -C failed: ${d.stderr.trim().split('\n')[0] ?? ''}`);
        continue;
      }
      runs.push([spec, s.input, d.values]);
    }
    for (const [label, input, real] of runs) {
      const ours = effectiveSshd(model, input ?? NO_CONNECTION, lookup, OPENSSH_9_2_DEFAULTS);
      for (const k of AGREE_KEYS) {
        res.items++;
        const o = ours[k]?.value;
        const v = real[k];
        if (o === v) {
          res.agree++;
          continue;
        }
        const good = GOOD[k];
        if (good && good(o) && !good(v)) res.falsePass++;
        res.disagreements.push(`seed ${seed} (${c.label}) ${label} ${k}: ours ${JSON.stringify(o)}, sshd ${JSON.stringify(v)}`);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return res;
}

export interface CoverResult {
  cases: number;
  /** Random connections tried (people only: accounts with a login shell, root, and nobody-in-particular). */
  connections: number;
  /** Connections that get a weak value for a judged keyword that no planned connection (nor the global pass) shows. */
  uncovered: string[];
  /** Random connections compared with the real `sshd -T -C` (when `real`). */
  realItems: number;
  realAgree: number;
  realDisagreements: string[];
}

/**
 * Coverage of the plan: connections Rampart did NOT plan (random users, client addresses over IPv4 and
 * IPv6, host names, local addresses and ports), judged by the file model. Every weak value such a
 * connection gets must show up in the global configuration or in a planned connection that is not dormant
 * (the checks judge every planned connection for every keyword; a dormant one only warns) — else an open
 * door is never judged (a false pass). With `real`, the random connections are also compared with `sshd -T -C`, so the
 * model is proven on connections it was not built around.
 */
export async function coverSshd(
  seeds: readonly number[],
  work: string,
  hostKey: string,
  opts: { perCase: number; real: boolean },
): Promise<CoverResult> {
  const lookup = await readLookup(new FsTarget({ name: 'host' }));
  const res: CoverResult = { cases: 0, connections: 0, uncovered: [], realItems: 0, realAgree: 0, realDisagreements: [] };
  const judged = Object.keys(GOOD);
  for (const seed of seeds) {
    const { c, dir, config, model, global } = await stagedCase(seed, join(work, `cover-${seed}`), lookup);
    const useDns = global.usedns?.value === 'yes';
    const ports = listenPorts(global);
    res.cases++;
    const planned = planOf(model, lookup, global)
      .filter((s) => s.dormant === null)
      .map((s) => effectiveSshd(model, s.input, lookup, OPENSSH_9_2_DEFAULTS, s.forced ? s.witness : null));
    planned.push(global);
    const r = rng(seed * 7919 + 1);
    const people = [...new Set(['root', ...lookup.loginUsers, OTHER_USER])];
    for (let i = 0; i < opts.perCase; i++) {
      const conn = randomConnection(r, people, ports, useDns);
      res.connections++;
      const ours = effectiveSshd(model, conn, lookup, OPENSSH_9_2_DEFAULTS);
      for (const k of judged) {
        if (GOOD[k]!(ours[k]?.value)) continue;
        const caught = planned.some((p) => !GOOD[k]!(p[k]?.value));
        if (!caught && res.uncovered.length < 50)
          res.uncovered.push(`seed ${seed} (${c.label}) ${connectionSpec(conn)} ${k}=${ours[k]?.value}: no planned connection shows it`);
      }
      if (!opts.real) continue;
      const d = dump(config, hostKey, connectionSpec(conn));
      if (d.code !== 0) {
        res.realDisagreements.push(`seed ${seed} ${connectionSpec(conn)}: sshd -T -C failed: ${d.stderr.trim().split('\n')[0] ?? ''}`);
        continue;
      }
      for (const k of AGREE_KEYS) {
        res.realItems++;
        if (ours[k]?.value === d.values[k]) res.realAgree++;
        else if (res.realDisagreements.length < 50)
          res.realDisagreements.push(
            `seed ${seed} ${connectionSpec(conn)} ${k}: ours ${JSON.stringify(ours[k]?.value)}, sshd ${JSON.stringify(d.values[k])}`,
          );
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return res;
}

/** A connection nobody planned: a person, a client address from the generator's ranges or anywhere, v4 or v6. */
function randomConnection(
  r: () => number,
  people: readonly string[],
  ports: readonly number[],
  useDns: boolean,
): MatchInput & { user: string } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const octet = () => Math.floor(r() * 256);
  const addr = pick([
    () => `192.0.2.${octet()}`,
    () => `198.51.100.${octet()}`,
    () => `203.0.113.${octet()}`,
    () => `10.${octet()}.${octet()}.${octet()}`,
    () => '127.0.0.1',
    () => `${1 + Math.floor(r() * 223)}.${octet()}.${octet()}.${octet()}`,
    () => `2001:db8:${Math.floor(r() * 65536).toString(16)}::${Math.floor(r() * 65536).toString(16)}`,
    () => `2a00:${Math.floor(r() * 65536).toString(16)}::1`,
  ])();
  // Without UseDNS sshd matches Host against the address; with it, against the client's name.
  const host = useDns ? pick(['client.example.org', 'a.example.com', 'example.net', addr]) : addr;
  return {
    user: pick(people),
    host,
    addr,
    laddr: pick(['127.0.0.1', '10.1.2.3', '192.0.2.1', '0.0.0.0', '::1']),
    lport: ports.length ? pick(ports) : 22,
    rdomain: null,
  };
}
