import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { FleetDocument } from '../../fleet/types.js';
import type { FactsSnapshot } from '../../facts/index.js';
import { computeDrift, renderDriftText } from '../../fleet/drift.js';
import { isDirectory, loadFactsDir } from '../../fleet/facts-dir.js';
import { buildPlaybook } from '../../fleet/playbook.js';
import { DEFAULT_CONFIG } from '../../config/schema.js';
import { loadConfig } from '../config-load.js';
import { resolveStateDir } from '../../store/state-dir.js';
import type { CommandSpec } from '../spec.js';
import { run } from '../run.js';
import { TargetError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { writeOut } from '../output.js';

export const fleetDriftSpec: CommandSpec = {
  name: 'fleet drift',
  summary: 'group hosts by the effective value of each setting, with the file:line that set it',
  usage: [
    'fleet drift --facts DIR [--golden HOST] [--all] [--format text|json] [-o FILE]',
    'fleet drift --inventory FILE [--limit PATTERN] …',
  ],
  options: {
    facts: { type: 'string', arg: 'DIR', help: 'a directory of <host>.json facts snapshots (--save-facts, or the playbook output)' },
    inventory: { type: 'string', arg: 'FILE', help: 'an Ansible inventory: collect each host over SSH first (as audit --inventory)' },
    limit: { type: 'string', arg: 'PATTERN', help: 'with --inventory: the hosts to collect' },
    'ssh-config': { type: 'string', arg: 'FILE', help: 'with --inventory: the ssh client configuration (ssh -F)' },
    forks: { type: 'string', arg: 'N', help: 'with --inventory: hosts collected at once (default 10)' },
    become: { type: 'boolean', default: false, help: 'with --inventory: gather through sudo -n' },
    timeout: { type: 'string', arg: 'SECONDS', help: 'with --inventory: per host (as for audit)' },
    config: { type: 'string', arg: 'FILE', help: 'with --inventory: the configuration (as for audit)' },
    golden: { type: 'string', arg: 'HOST', help: 'show only where hosts differ from this one' },
    all: { type: 'boolean', default: false, help: 'list the settings on which every host agrees too' },
    format: { type: 'string', arg: 'FORMAT', default: 'text', choices: ['text', 'json'], help: 'text (default) or json' },
    output: { type: 'string', short: 'o', arg: 'FILE', help: 'write there instead of standard output' },
  },
  examples: [
    { cmd: 'rampart fleet drift --facts facts/', what: 'every setting on which the hosts differ' },
    { cmd: 'rampart fleet drift --facts facts/ --golden web01', what: 'where each host differs from web01' },
  ],
  exitCodes: ['0 no drift, 1 drift (or a host not assessed), 2 usage error, 3 no host could be read'],
  async run(args, io) {
    const v = args.values;
    const format = v.format as string;
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
    if ((v.facts === undefined) === (v.inventory === undefined))
      throw new UsageError('fleet drift takes one of --facts DIR or --inventory FILE');
    let dir: string;
    let tmp: string | null = null;
    const unreached: { name: string; reason: string }[] = [];
    if (v.inventory !== undefined) {
      // Collect over SSH exactly as `audit --inventory … --save-facts DIR` does, then compare those snapshots.
      tmp = mkdtempSync(join(tmpdir(), 'rampart-drift-'));
      const argv = ['--inventory', v.inventory as string, '--save-facts', tmp, '--no-store', '--format', `json:${join(tmp, 'fleet.json')}`];
      for (const k of ['limit', 'ssh-config', 'forks', 'timeout', 'config'] as const)
        if (typeof v[k] === 'string') argv.push(`--${k}`, v[k]);
      if (v.become === true) argv.push('--become');
      const code = await run(['audit', ...argv], { ...io, stdout: () => {} });
      if (code === 2) {
        rmSync(tmp, { recursive: true, force: true });
        return 2;
      }
      const doc = JSON.parse(readFileSync(join(tmp, 'fleet.json'), 'utf8')) as FleetDocument;
      for (const h of doc.hosts) if ('error' in h) unreached.push({ name: h.name, reason: `${h.error.kind}: ${h.error.message}` });
      rmSync(join(tmp, 'fleet.json'));
      dir = tmp;
    } else dir = resolve(io.cwd, v.facts as string);
    try {
      return await driftOf(
        dir,
        v,
        io,
        format,
        v.inventory !== undefined ? `--inventory ${v.inventory as string}` : `--facts ${v.facts as string}`,
        unreached,
      );
    } finally {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    }
  },
};

/** Drift over the snapshots of `dir`; `unreached` names the hosts an inventory run could not assess (no snapshot). */
async function driftOf(
  dir: string,
  v: Record<string, unknown>,
  io: Io,
  format: 'text' | 'json',
  label: string,
  unreached: readonly { name: string; reason: string }[],
): Promise<number> {
  {
    if (!(await isDirectory(dir))) throw new TargetError(`${label}: not a directory`);
    let loaded;
    const why = unreached.map((u) => `${u.name}: ${u.reason}`).join('; ');
    try {
      loaded = await loadFactsDir(dir);
    } catch (e) {
      // An inventory run where no host was assessed leaves no snapshot: say why each host was not.
      throw new TargetError(unreached.length > 0 ? `${label}: no host could be read: ${why}` : `${label}: ${(e as Error).message}`);
    }
    const snaps = new Map<string, FactsSnapshot>();
    const notAssessed: { name: string; reason: string }[] = [...unreached];
    for (const l of loaded) {
      if ('error' in l) notAssessed.push({ name: l.name, reason: l.error });
      else snaps.set(l.name, l.snapshot);
    }
    if (snaps.size === 0) throw new TargetError(`${label}: no host could be read`);
    let report;
    try {
      report = computeDrift(snaps, { golden: v.golden as string | undefined, all: v.all === true, notAssessed });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderDriftText(report);
    if (v.output !== undefined) await writeOut(io, v.output as string, text);
    else io.stdout(text);
    return report.drift.some((d) => d.groups.length > 1) || notAssessed.length > 0 ? 1 : 0;
  }
}

export const fleetPlaybookSpec: CommandSpec = {
  name: 'fleet playbook',
  summary: 'an Ansible playbook that runs the one-trip payload on every host and fetches its output',
  usage: ['fleet playbook [--become] [--hosts PATTERN] [--dest DIR] -o FILE'],
  options: {
    become: { type: 'boolean', default: false, help: 'run the payload as root (become: true; sudo as Ansible is configured)' },
    hosts: { type: 'string', arg: 'PATTERN', default: 'all', help: "the play's hosts pattern (default all)" },
    config: { type: 'string', arg: 'FILE', help: 'the configuration the reference collection uses (default: built-in defaults)' },
    'state-dir': { type: 'string', arg: 'DIR', help: 'state directory (attestations) for the reference collection' },
    dest: {
      type: 'string',
      arg: 'DIR',
      default: 'rampart-out',
      help: 'controller directory the outputs are fetched to (default rampart-out)',
    },
    output: { type: 'string', short: 'o', arg: 'FILE', help: 'the playbook (rampart-payload.sh is written beside it)' },
  },
  examples: [
    {
      cmd: 'rampart fleet playbook --become -o rampart.yml && ansible-playbook -i hosts.ini rampart.yml && rampart audit --facts rampart-out',
      what: 'audit a fleet through Ansible',
    },
    { cmd: 'rampart fleet playbook --hosts web -o web.yml --dest web-out', what: 'only the web group, outputs to web-out/' },
  ],
  async run(args, io) {
    const v = args.values;
    const config = v.config !== undefined ? await loadConfig(io, v.config as string, null) : DEFAULT_CONFIG;
    const state = resolveStateDir(v['state-dir'] as string | undefined, io.env, io.cwd);
    if (v.output === undefined) throw new UsageError('fleet playbook needs -o FILE (the payload script is written beside it)');
    const out = resolve(io.cwd, v.output as string);
    const scriptPath = join(dirname(out), 'rampart-payload.sh');
    const { playbook, script } = await buildPlaybook({
      become: v.become === true,
      hosts: v.hosts as string,
      dest: v.dest as string,
      script: scriptPath,
      config,
      state,
    });
    await writeOut(io, scriptPath, script);
    await writeOut(io, out, playbook);
    return 0;
  },
};
