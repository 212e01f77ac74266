// Fleet orchestration for `rampart audit --host/--inventory`: which hosts (and how to reach each),
// then each host audited over its own SshTarget, --forks at a time, each bounded by --timeout.
import type { Report } from '../evaluate/report.js';
import { HostFailure, SshTarget, type SshDestination } from '../target/ssh-target.js';
import { connectionOf, selectHosts } from './inventory.js';
import { loadInventory, readLimitFile } from './inventory-load.js';
import type { FleetHost, HostError } from './types.js';

export interface FleetHostSpec {
  /** The host's name in the fleet: its inventory name, or the --host argument as given. */
  name: string;
  dest: SshDestination;
}

/** `[user@]HOST[:PORT]`, IPv6 in brackets (`[::1]:2222`); null when malformed. */
export function parseHostArg(arg: string): SshDestination | null {
  const at = arg.lastIndexOf('@');
  const user = at >= 0 ? arg.slice(0, at) : null;
  const rest = at >= 0 ? arg.slice(at + 1) : arg;
  if (user === '') return null;
  let host: string;
  let port: number | null = null;
  const v6 = /^\[([0-9A-Fa-f:.%a-zA-Z]+)\](?::(\d{1,5}))?$/.exec(rest);
  if (v6) {
    host = v6[1]!;
    if (v6[2] !== undefined) port = Number(v6[2]);
  } else {
    const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(rest);
    if (!m) return null;
    host = m[1]!;
    if (m[2] !== undefined) port = Number(m[2]);
  }
  if (port !== null && (port < 1 || port > 65535)) return null;
  if (host === '' || host.startsWith('-')) return null;
  return { host, port, user };
}

export type SpecsResult = { ok: true; hosts: FleetHostSpec[] } | { ok: false; message: string };

/** The hosts --host and --inventory (with --limit) name, --become applied to all. */
export function fleetHosts(opts: {
  hosts: readonly string[];
  inventory?: string | undefined;
  limit?: string | undefined;
  become: boolean;
}): SpecsResult {
  const out: FleetHostSpec[] = [];
  for (const h of opts.hosts) {
    const d = parseHostArg(h);
    if (!d) return { ok: false, message: `--host ${JSON.stringify(h)}: not [user@]HOST[:PORT] (IPv6 in brackets)` };
    out.push({ name: h, dest: { ...d, become: opts.become } });
  }
  if (opts.inventory !== undefined) {
    const inv = loadInventory(opts.inventory);
    if (!inv.ok) {
      const e = inv.error;
      return { ok: false, message: `--inventory ${e.file}${e.line !== null ? `:${e.line}` : ''}: ${e.message}` };
    }
    const sel = selectHosts(inv.value, opts.limit ?? null, { readText: readLimitFile });
    if (!sel.ok) return { ok: false, message: `--limit: ${sel.message}` };
    for (const name of sel.hosts) {
      const c = connectionOf(inv.value, name);
      if (!c.ok) return { ok: false, message: `--inventory: ${c.message}` };
      const v = c.value;
      if (v.connection !== null && v.connection !== 'ssh')
        return { ok: false, message: `--inventory: ${name}: ansible_connection ${v.connection} (only ssh is supported)` };
      out.push({
        name,
        dest: {
          host: v.address,
          port: v.port,
          user: v.user,
          identityFile: v.privateKeyFile,
          extraArgs: v.commonArgv,
          become: opts.become || v.become,
        },
      });
    }
  } else if (opts.limit !== undefined) return { ok: false, message: '--limit selects hosts of an --inventory' };
  const seen = new Set<string>();
  for (const h of out) {
    if (seen.has(h.name)) return { ok: false, message: `host ${JSON.stringify(h.name)} is named twice` };
    seen.add(h.name);
  }
  if (out.length === 0) return { ok: false, message: 'no host selected' };
  return { ok: true, hosts: out };
}

export interface FleetRunOptions {
  forks: number;
  sshConfig: string | null;
  /** Per host, from the connection to the report (s). */
  timeoutS: number;
  /** Audits one host over its open target: collect, evaluate, store. */
  audit: (target: SshTarget, spec: FleetHostSpec) => Promise<Report>;
  /** One line per host as it ends (a TTY's progress). */
  progress?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  ssh?: string;
}

/** Every host audited (not more than `forks` at a time), in the order given. */
export async function runFleet(specs: readonly FleetHostSpec[], opts: FleetRunOptions): Promise<FleetHost[]> {
  const out: FleetHost[] = new Array<FleetHost>(specs.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < specs.length) {
      const i = next++;
      const spec = specs[i]!;
      const t0 = Date.now();
      out[i] = await auditHost(spec, opts);
      done++;
      const h = out[i];
      const what = 'report' in h ? `${h.report.summary.fail} fail, ${h.report.summary.unknown} unknown` : `not assessed: ${h.error.kind}`;
      opts.progress?.(`[${done}/${specs.length}] ${spec.name}: ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.forks, specs.length)) }, worker));
  return out;
}

async function auditHost(spec: FleetHostSpec, opts: FleetRunOptions): Promise<FleetHost> {
  const target = new SshTarget({
    name: spec.name,
    dest: spec.dest,
    sshConfig: opts.sshConfig,
    connectTimeoutS: Math.min(opts.timeoutS, 10),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.ssh ? { ssh: opts.ssh } : {}),
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<HostError>((resolve) => {
    timer = setTimeout(() => {
      const e: HostError = { kind: 'timeout', message: `the host did not finish within ${opts.timeoutS} s (--timeout)` };
      target.abort(e);
      resolve(e);
    }, opts.timeoutS * 1000);
  });
  const work = async (): Promise<FleetHost> => {
    const opened = await target.open();
    if (opened) return { name: spec.name, error: opened };
    try {
      const report = await opts.audit(target, spec);
      // A transport failure during the collection voids the report: facts from a partial answer are never evaluated.
      if (target.failure) return { name: spec.name, error: target.failure };
      return { name: spec.name, report };
    } catch (e) {
      if (target.failure) return { name: spec.name, error: target.failure };
      if (e instanceof HostFailure) return { name: spec.name, error: e.error };
      return { name: spec.name, error: { kind: 'internal', message: e instanceof Error ? e.message : String(e) } };
    }
  };
  try {
    return await Promise.race([work(), deadline.then((error) => ({ name: spec.name, error }))]);
  } finally {
    clearTimeout(timer);
    await target.close();
  }
}

/** The file a host's snapshot is saved to in a --save-facts DIR (and read from by --facts DIR): `<name>.json`, the name escaped where it is not a plain file name. */
export function factsFileName(name: string): string {
  const safe = /^[A-Za-z0-9_@:+=,[\]-][A-Za-z0-9._@:+=,[\]-]*$/.test(name) ? name : encodeURIComponent(name).replace(/^\./, '%2E');
  return `${safe}.json`;
}
