import { collectSnapshot } from '../audit.js';
import { CHECKS } from '../checks/index.js';
import type { Config } from '../config/schema.js';
import type { StateSource } from '../store/state-facts.js';
import { FsTarget } from '../target/fs-target.js';
import type {
  FsError,
  ListResult,
  ReadOptions,
  RunOptions,
  RunResult,
  StatResult,
  BytesResult,
  MountTableResult,
} from '../target/types.js';
import { buildPayload, type Payload, type PayloadRequest } from './payload.js';
import { BUNDLE_MARK } from './recorded-target.js';

/**
 * `rampart fleet playbook` (issue 11): an Ansible playbook that runs the one-trip payload on every host
 * (the `script` module: the payload script, too large for a command line, goes to Ansible's remote temp
 * dir, which Ansible removes; the payload's own temp dir is removed by its trap) and writes each host's output to `<dest>/<inventory_hostname>.out` on the
 * controller, beside `<dest>/rampart-payload.json` (the payload's nonce and requests, to decode the
 * outputs). `rampart audit --facts DEST` then evaluates them (recorded-target.ts).
 *
 * The payload must be complete in one trip, but some reads depend on earlier answers (Include targets,
 * drop-in dirs, the sshd -T contexts built from accounts…). The "wide" payload is:
 *  1. every request a full collection of a reference host makes (this controller, live, every check):
 *     the collectors' declared gathers and the dependent reads they led to there, and
 *  2. a bundle: one `run` that prints every regular file of at most BUNDLE_FILE_MAX bytes, with its
 *     stat, below the configuration directories of BUNDLE_DIRS (find -maxdepth 4, BUNDLE_TOTAL_MAX in
 *     all), so Include targets and drop-ins that differ from the reference host are still recorded.
 * Whatever the recording still lacks fails as "not in the recorded payload": unknown, never pass.
 */

export const BUNDLE_DIRS = [
  '/etc/ssh',
  '/etc/fail2ban',
  '/etc/redis',
  '/etc/postgresql',
  '/etc/ufw',
  '/etc/default',
  '/etc/sysctl.d',
  '/usr/lib/sysctl.d',
  '/run/sysctl.d',
  '/etc/apt',
  '/etc/security',
  '/etc/pam.d',
  '/etc/sudoers.d',
  '/etc/systemd/system',
  '/etc/docker',
  '/etc/nginx',
  '/etc/apache2',
  '/etc/rsyslog.d',
  '/etc/audit',
  '/etc/logrotate.d',
  '/etc/cron.d',
  '/etc/rampart',
];
export const BUNDLE_FILE_MAX = 256 * 1024;
export const BUNDLE_TOTAL_MAX = 32 * 1024 * 1024;

/** The bundle script (run as `sh -c SCRIPT rampart-bundle DIR...`): per file `path\0stat\0bytes\0`, then an end mark. */
const BUNDLE_SCRIPT = String.raw`
for d in "$@"; do
  [ -d "$d" ] || continue
  find "$d" -maxdepth 4 -type f -size -${BUNDLE_FILE_MAX / 1024 + 1}k -print 2>/dev/null
done | while IFS= read -r f; do
  [ -r "$f" ] || continue
  s=$(stat -c '%f %u %g %s %Y %d %i' -- "$f" 2>/dev/null) || continue
  n=${'$'}{s#* * * }; n=${'$'}{n%% *}
  [ "$n" -le ${BUNDLE_FILE_MAX} ] 2>/dev/null || continue
  printf '%s\0%s\0' "$f" "$s"
  { cat -- "$f" 2>/dev/null; cat /dev/zero; } | head -c "$n"
  printf '\0'
done
printf '\0RAMPART-BUNDLE-END\0'
`.trim();

/** The bundle request (recognised by recorded-target.ts by its $0). */
export function bundleRequest(dirs: readonly string[] = BUNDLE_DIRS): PayloadRequest {
  return { op: 'run', argv: ['sh', '-c', BUNDLE_SCRIPT, BUNDLE_MARK, ...dirs], timeoutSec: 120, maxBytes: BUNDLE_TOTAL_MAX };
}

const MAX_READ = 64 * 1024 * 1024;
const DEFAULT_READ = 4 * 1024 * 1024;

/** A live FsTarget that notes every call as a payload request (batch goes through these calls). */
class SpyTarget extends FsTarget {
  readonly seen = new Map<string, PayloadRequest>();
  private note(r: PayloadRequest): void {
    const key = JSON.stringify(r.op === 'read' ? { op: r.op, path: r.path } : r.op === 'run' ? { op: r.op, argv: r.argv } : r);
    const had = this.seen.get(key);
    if (had && had.op === 'read' && r.op === 'read') had.maxBytes = Math.max(had.maxBytes, r.maxBytes);
    else if (!had) this.seen.set(key, r);
  }
  override readBytes(path: string, opts: ReadOptions = {}): Promise<BytesResult> {
    this.note({ op: 'read', path, maxBytes: Math.min(opts.maxBytes ?? DEFAULT_READ, MAX_READ) });
    this.note({ op: 'stat', path });
    return super.readBytes(path, opts);
  }
  override readRange(path: string, offset: number, length: number) {
    this.note({ op: 'read', path, maxBytes: Math.min(DEFAULT_READ, MAX_READ) });
    return super.readRange(path, offset, length);
  }
  override stat(path: string): Promise<StatResult> {
    this.note({ op: 'stat', path });
    return super.stat(path);
  }
  override lstat(path: string): Promise<StatResult> {
    this.note({ op: 'lstat', path });
    return super.lstat(path);
  }
  override list(dir: string): Promise<ListResult> {
    this.note({ op: 'list', path: dir });
    return super.list(dir);
  }
  override glob(pattern: string): Promise<string[]> {
    this.note({ op: 'glob', pattern });
    return super.glob(pattern);
  }
  override realPath(path: string): Promise<{ ok: true; path: string } | FsError> {
    this.note({ op: 'run', argv: ['realpath', '-e', '--', path], timeoutSec: 10, maxBytes: 64 * 1024 });
    return super.realPath(path);
  }
  override mountTable(): Promise<MountTableResult> {
    this.note({ op: 'read', path: '/proc/self/mountinfo', maxBytes: 16 * 1024 * 1024 });
    return super.mountTable();
  }
  override run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
    if (opts.input === undefined && opts.env === undefined)
      this.note({
        op: 'run',
        argv,
        timeoutSec: Math.max(1, Math.ceil((opts.timeoutMs ?? 15_000) / 1000)),
        maxBytes: Math.min(opts.maxBytes ?? 16 * 1024 * 1024, MAX_READ),
      });
    return super.run(argv, opts);
  }
}

/** The wide request list: a reference collection's calls (this host, live, every check) + the bundle. */
export async function wideRequests(config: Config, state: StateSource, opts: { timeoutMs?: number } = {}): Promise<PayloadRequest[]> {
  const spy = new SpyTarget({ name: 'reference' });
  await collectSnapshot(spy, config, {
    checks: CHECKS,
    state,
    clock: () => new Date(0),
    collectorTimeoutMs: opts.timeoutMs ?? 60_000,
    commandTimeoutMs: 15_000,
  });
  // The payload's decoder refuses a /proc listing whose processes come and go while it is listed (the
  // whole output is then rejected): it is left out, so process facts read as not recorded (unknown).
  return [...spy.seen.values()].filter((r) => !(r.op === 'list' && r.path === '/proc')).concat(bundleRequest());
}

/** What `--facts DIR` needs to decode the outputs. */
export interface PayloadManifest {
  kind: 'rampart-payload';
  nonce: string;
  requests: PayloadRequest[];
}

/** JSON is YAML: a JSON string literal is a YAML double-quoted scalar. */
const y = (s: string): string => JSON.stringify(s);

/**
 * The script the `script` module runs: the payload, its output in base64 (module output must be text).
 * Its stderr is dropped: the `script` module runs it on a pty (ssh -tt), which merges stderr into the
 * stdout Ansible returns, and the payload's stderr (a shell's "cannot open /proc/1/environ") would make
 * that output undecodable. The payload reports each request's failure in its frames, not on stderr
 * (SshTarget keeps stderr only to classify ssh's own failures).
 */
export function payloadScriptOf(payload: Payload): string {
  return `#!/bin/sh\n# rampart one-trip payload (read-only); output base64-encoded\nrampart_payload() {\n${payload.script}}\nrampart_payload 2>/dev/null | base64 -w 76\n`;
}

export function playbookOf(payload: Payload, opts: { become: boolean; hosts: string; dest: string; script: string }): string {
  const manifest: PayloadManifest = { kind: 'rampart-payload', nonce: payload.nonce, requests: payload.requests };
  return `# Generated by rampart fleet playbook: runs Rampart's one-trip read-only payload on every host
# (script module: the script is copied to Ansible's remote temp dir and removed after it ran) and fetches its output to the controller.
# Then: rampart audit --facts ${opts.dest}
- name: Rampart one-trip audit payload
  hosts: ${y(opts.hosts)}
  gather_facts: false
  become: ${opts.become ? 'true' : 'false'}
  vars:
    rampart_dest: ${y(opts.dest)}
  tasks:
    - name: Controller directory and payload manifest
      delegate_to: localhost
      run_once: true
      become: false
      block:
        - ansible.builtin.file:
            path: "{{ rampart_dest }}"
            state: directory
            mode: "0700"
        - ansible.builtin.copy:
            dest: "{{ rampart_dest }}/rampart-payload.json"
            mode: "0600"
            content: ${y(`${JSON.stringify(manifest)}\n`)}
    - name: Run the payload
      ansible.builtin.script: ${y(opts.script)}
      register: rampart_out
      changed_when: false
    - name: Save the output on the controller
      delegate_to: localhost
      become: false
      ansible.builtin.copy:
        dest: "{{ rampart_dest }}/{{ inventory_hostname }}.out"
        mode: "0600"
        content: "{{ rampart_out.stdout }}"
`;
}

/** The playbook and the payload script it runs (written beside it as `opts.script`). */
export async function buildPlaybook(opts: {
  become: boolean;
  hosts: string;
  dest: string;
  script: string;
  config: Config;
  state: StateSource;
}): Promise<{ playbook: string; script: string }> {
  const payload = buildPayload(await wideRequests(opts.config, opts.state));
  return { playbook: playbookOf(payload, opts), script: payloadScriptOf(payload) };
}
