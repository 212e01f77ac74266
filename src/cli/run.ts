import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, promises as fsp, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { hostname } from 'node:os';
import { z } from 'zod';
import { REQUIREMENTS } from '../catalog/requirements.js';
import { SECTION_TITLES, SEVERITIES, type Profile, type Severity } from '../catalog/types.js';
import { CHECKS } from '../checks/index.js';
import { COLLECTORS } from '../collect/index.js';
import { collectFacts } from '../collect/run.js';
import { ConfigSchema, DEFAULT_CONFIG, type Config } from '../config/schema.js';
import { evaluate } from '../evaluate/engine.js';
import type { Report } from '../evaluate/report.js';
import { selectChecks } from '../evaluate/select.js';
import { SNAPSHOT_VERSION, type FactKey, type FactsSnapshot } from '../facts/index.js';
import { renderJson } from '../report/json.js';
import { reportJsonSchema } from '../report/schema.js';
import { renderText } from '../report/text.js';
import { FsTarget } from '../target/fs-target.js';
import { VERSION } from '../version.js';
import { parseConfigText } from './config-load.js';
import { TargetError, UsageError } from './errors.js';
import type { Io } from './io.js';
import { parseSnapshot, serializeSnapshot } from './snapshot-io.js';

const HELP = `rampart ${VERSION}: audit a Debian/Ubuntu server against the Server Hardening Guide

Usage:
  rampart audit [options]          audit this host (live)
  rampart audit --root DIR         audit an offline root (image, chroot, mounted disk)
  rampart audit --facts FILE       re-evaluate a saved facts snapshot
  rampart requirements [--format text|json]   list the catalog
  rampart explain ID               one requirement in full
  rampart schema [report|config]   print the JSON Schema of the report (or of the config file)

Audit options:
  --format F[:PATH][,F[:PATH]...]  text (default) or json; a format without a path goes to stdout
  --output FILE                    the path of a single format
  --profile guide|strict           strict adds the requirements that carry the guide further
  --only SEL[,SEL...]              ids, areas (ssh or ssh.*) or sections (3.2) to run
  --skip SEL[,SEL...]              ids, areas or sections to leave out
  --fail-on SEVERITY               exit 1 on a fail/warn at or above it (default high)
  --fail-on-unknown                unknown results count towards the exit code too
  --config FILE                    else /etc/rampart/config.yaml on the target
  --save-facts FILE                save the collected snapshot (replay it with --facts)
  --now ISO-DATE                   evaluate time-based verdicts at this time
  --timeout SECONDS                per collector (default 60); commands time out at 15 s

Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 usage/configuration/internal error,
3 the target could not be reached or read.
`;

function splitList(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

interface OutputSpec {
  format: 'text' | 'json';
  path: string | null;
}

const FORMATS = ['text', 'json'] as const;
const LATER_FORMATS = ['html', 'junit', 'sarif', 'markdown', 'csv'];

export function parseFormats(spec: string | undefined, output: string | undefined): OutputSpec[] {
  const items = (spec ?? 'text').split(',').map((s) => s.trim()).filter(Boolean);
  const outs = items.map((item): OutputSpec => {
    const i = item.indexOf(':');
    const format = i === -1 ? item : item.slice(0, i);
    const path = i === -1 ? null : item.slice(i + 1);
    if (LATER_FORMATS.includes(format)) throw new UsageError(`--format ${format} is not available in this version (text and json are)`);
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: unknown format "${format}" (text, json)`);
    if (path === '') throw new UsageError(`--format ${format}: empty path after ':'`);
    return { format: format as OutputSpec['format'], path };
  });
  if (output !== undefined) {
    if (outs.length !== 1) throw new UsageError('--output names the path of a single format; with several, use --format F:PATH');
    outs[0]!.path = output;
  }
  if (outs.filter((o) => o.path === null).length > 1) throw new UsageError('--format: at most one format can go to standard output; give the others a path (F:PATH)');
  return outs;
}

async function loadConfig(io: Io, configPath: string | undefined, target: FsTarget | null): Promise<Config> {
  if (configPath !== undefined) {
    const file = resolve(io.cwd, configPath);
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (e) {
      throw new UsageError(`--config ${configPath}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    return parseConfigText(text, file);
  }
  if (!target) return DEFAULT_CONFIG;
  const r = await target.readText('/etc/rampart/config.yaml', { maxBytes: 1024 * 1024 });
  if (!r.ok) {
    if (r.error === 'missing') return DEFAULT_CONFIG;
    throw new UsageError(`/etc/rampart/config.yaml on the target: ${r.message}`);
  }
  return parseConfigText(r.text, target.root === '/' ? '/etc/rampart/config.yaml' : `${target.root}/etc/rampart/config.yaml (in the root)`);
}

async function writeOut(io: Io, path: string, text: string): Promise<void> {
  const file = resolve(io.cwd, path);
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    await fsp.writeFile(tmp, text, { mode: 0o600 });
    await fsp.rename(tmp, file);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as Error).message}`);
  }
}

function exitCodeFor(report: Report, failOn: Severity, failOnUnknown: boolean): number {
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  const bad = report.results.some(
    (r) => (r.status === 'fail' || r.status === 'warn' || (failOnUnknown && r.status === 'unknown')) && rank(r.severity) <= rank(failOn),
  );
  return bad ? 1 : 0;
}

async function audit(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      root: { type: 'string' },
      facts: { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      profile: { type: 'string', default: 'guide' },
      only: { type: 'string', multiple: true },
      skip: { type: 'string', multiple: true },
      'fail-on': { type: 'string', default: 'high' },
      'fail-on-unknown': { type: 'boolean', default: false },
      config: { type: 'string' },
      'save-facts': { type: 'string' },
      now: { type: 'string' },
      timeout: { type: 'string', default: '60' },
    },
    allowPositionals: false,
    strict: true,
  });
  const started = new Date();
  const t0 = performance.now();
  const profile = values.profile as Profile;
  if (profile !== 'guide' && profile !== 'strict') throw new UsageError(`--profile must be guide or strict, not "${values.profile}"`);
  const failOn = values['fail-on'] as Severity;
  if (!SEVERITIES.includes(failOn)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}`);
  const now = values.now === undefined ? undefined : new Date(values.now);
  if (now && Number.isNaN(now.getTime())) throw new UsageError(`--now: "${values.now}" is not a date`);
  const timeoutS = Number(values.timeout);
  if (!(timeoutS > 0)) throw new UsageError('--timeout takes a positive number of seconds');
  if (values.root !== undefined && values.facts !== undefined) throw new UsageError('--root and --facts exclude each other');
  const outputs = parseFormats(values.format, values.output);

  const sel = selectChecks(CHECKS, { profile, only: splitList(values.only), skip: splitList(values.skip) });
  if (!sel.ok) throw new UsageError(sel.message);

  let snapshot: FactsSnapshot;
  let config: Config | undefined;
  if (values.facts !== undefined) {
    const file = resolve(io.cwd, values.facts);
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (e) {
      throw new TargetError(`--facts ${values.facts}: ${(e as Error).message}`);
    }
    snapshot = parseSnapshot(text, values.facts);
    if (values.config !== undefined) config = await loadConfig(io, values.config, null);
  } else {
    let target: FsTarget;
    if (values.root !== undefined) {
      const root = resolve(io.cwd, values.root);
      if (!existsSync(root) || !statSync(root).isDirectory()) throw new TargetError(`--root ${values.root}: not a directory`);
      target = new FsTarget({ root, name: values.root });
    } else {
      target = new FsTarget({ name: hostname() });
    }
    config = await loadConfig(io, values.config, target);
    const keys = new Set<FactKey>(['host']);
    for (const c of sel.checks) for (const k of c.needs) keys.add(k);
    const collectedAt = new Date();
    const { facts, timings } = await collectFacts(COLLECTORS, [...keys], { target, config, commandTimeoutMs: 15_000 }, timeoutS * 1000);
    const host = facts.host;
    const name = target.kind === 'local' && host?.state === 'collected' && host.value.hostname ? host.value.hostname : target.name;
    snapshot = {
      schemaVersion: SNAPSHOT_VERSION,
      tool: { name: 'rampart', version: VERSION },
      collectedAt: collectedAt.toISOString(),
      target: { kind: target.kind, name, root: target.root },
      live: target.live,
      config,
      timings,
      facts,
    };
    if (values['save-facts'] !== undefined) await writeOut(io, values['save-facts'], serializeSnapshot(snapshot));
  }

  const report = evaluate(snapshot, {
    checks: sel.checks,
    profile,
    ...(now ? { now } : {}),
    ...(config ? { config } : {}),
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
  });
  if (values.facts !== undefined) report.target = { ...report.target, kind: 'facts' };

  for (const o of outputs) {
    const color = o.path === null && io.isTTY && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '');
    const text = o.format === 'json' ? renderJson(report) : renderText(report, { color });
    if (o.path === null) io.stdout(text);
    else await writeOut(io, o.path, text);
  }
  return exitCodeFor(report, failOn, values['fail-on-unknown']);
}

function requirements(argv: string[], io: Io): number {
  const { values } = parseArgs({ args: argv, options: { format: { type: 'string', default: 'text' } }, strict: true });
  const implemented = new Set(CHECKS.map((c) => c.id));
  if (values.format === 'json') {
    io.stdout(`${JSON.stringify(REQUIREMENTS.map((r) => ({ ...r, implemented: implemented.has(r.id) })), null, 2)}\n`);
    return 0;
  }
  if (values.format !== 'text') throw new UsageError('--format must be text or json');
  let section = '';
  const lines: string[] = [];
  for (const r of REQUIREMENTS) {
    if (r.section !== section) {
      section = r.section;
      lines.push(`${lines.length ? '\n' : ''}${section} ${SECTION_TITLES[section] ?? ''}`);
    }
    const flags = [r.severity, r.kind, r.profile === 'strict' ? 'strict' : null, implemented.has(r.id) ? null : 'not implemented yet'].filter(Boolean).join(', ');
    lines.push(`  ${r.id.padEnd(34)} ${r.title} (${flags})`);
  }
  io.stdout(`${lines.join('\n')}\n\n${implemented.size} of ${REQUIREMENTS.length} requirements implemented.\n`);
  return 0;
}

function explain(argv: string[], io: Io): number {
  const id = argv[0];
  if (!id || argv.length > 1) throw new UsageError('usage: rampart explain ID');
  const r = REQUIREMENTS.find((x) => x.id === id);
  if (!r) throw new UsageError(`explain: no requirement "${id}" (see rampart requirements)`);
  const check = CHECKS.find((c) => c.id === id);
  const c = r.controls;
  io.stdout(
    [
      `${r.id}: ${r.title}`,
      `section ${r.section} (${SECTION_TITLES[r.section] ?? ''}), severity ${r.severity}, ${r.kind}, profile ${r.profile}, modes ${r.modes.join(', ') || '-'}`,
      r.expect ? `\nExpected: ${r.expect}` : '',
      check ? `\nRemediation: ${check.remediation}` : '\nNot implemented in this version.',
      check ? `Reads: ${check.needs.join(', ') || 'attestations only'}` : '',
      `\nISO 27001:2013 ${c['iso27001:2013'].join(', ') || '-'}; ISO 27001:2022 ${c['iso27001:2022'].join(', ') || '-'}; GDPR ${c.gdpr.join(', ') || '-'}`,
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n',
  );
  return 0;
}

function schema(argv: string[], io: Io): number {
  const which = argv[0] ?? 'report';
  if (which === 'report') io.stdout(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
  else if (which === 'config') io.stdout(`${JSON.stringify(z.toJSONSchema(ConfigSchema, { io: 'input' }), null, 2)}\n`);
  else throw new UsageError('usage: rampart schema [report|config]');
  return 0;
}

/** argv (without node and script) → exit code. Tests call this directly. */
export async function run(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'audit': return await audit(rest, io);
      case 'requirements': return requirements(rest, io);
      case 'explain': return explain(rest, io);
      case 'schema': return schema(rest, io);
      case '--version': case 'version': io.stdout(`${VERSION}\n`); return 0;
      case undefined: case '--help': case '-h': case 'help': io.stdout(HELP); return cmd === undefined ? 2 : 0;
      default: throw new UsageError(`unknown command "${cmd}" (try rampart --help)`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof TargetError) {
      io.stderr(`rampart: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof TypeError && 'code' in e && typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`rampart: ${e.message} (try rampart --help)\n`);
      return 2;
    }
    io.stderr(`rampart: internal error\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}
