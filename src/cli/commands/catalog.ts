import { z } from 'zod';
import { REQUIREMENTS } from '../../catalog/requirements.js';
import { SECTION_TITLES } from '../../catalog/types.js';
import { CHECKS } from '../../checks/index.js';
import type { RecipeStep } from '../../checks/recipe.js';
import { ConfigSchema } from '../../config/schema.js';
import { reportJsonSchema } from '../../report/schema.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { defineCommand, type Args, type OptionSpec } from '../spec.js';

const REQUIREMENTS_OPTIONS = {
  format: { type: 'string', default: 'text', arg: 'FORMAT', help: 'text or json', choices: ['text', 'json'] },
} as const satisfies Record<string, OptionSpec>;
const EXPLAIN_OPTIONS = REQUIREMENTS_OPTIONS;

export function requirements(args: Args<typeof REQUIREMENTS_OPTIONS>, io: Io): number {
  const { values } = args;
  const implemented = new Set(CHECKS.map((c) => c.id));
  if (values.format === 'json') {
    const fixes = new Map(CHECKS.flatMap((c) => (c.fix ? [[c.id, c.fix] as const] : [])));
    const remedies = new Map(CHECKS.map((c) => [c.id, c.remediation] as const));
    io.stdout(
      `${JSON.stringify(
        REQUIREMENTS.map((r) => ({
          ...r,
          implemented: implemented.has(r.id),
          remediation: remedies.get(r.id) ?? null,
          ...(fixes.has(r.id) ? { fix: fixes.get(r.id) } : {}),
        })),
        null,
        2,
      )}\n`,
    );
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
    const flags = [r.severity, r.kind, r.profile === 'strict' ? 'strict' : null, implemented.has(r.id) ? null : 'not implemented yet']
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${r.id.padEnd(34)} ${r.title} (${flags})`);
  }
  io.stdout(`${lines.join('\n')}\n\n${implemented.size} of ${REQUIREMENTS.length} requirements implemented.\n`);
  return 0;
}

export function explain(args: Args<typeof EXPLAIN_OPTIONS>, io: Io): number {
  const { values, positionals } = args;
  const id = positionals[0];
  if (!id || positionals.length > 1) throw new UsageError('usage: rampart explain ID [--format text|json]');
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError('--format must be text or json');
  const r = REQUIREMENTS.find((x) => x.id === id);
  if (!r) throw new UsageError(`explain: no requirement "${id}" (see rampart requirements)`);
  const check = CHECKS.find((c) => c.id === id);
  if (values.format === 'json') {
    const impl = check ? { remediation: check.remediation, needs: check.needs, ...(check.fix ? { fix: check.fix } : {}) } : {};
    io.stdout(`${JSON.stringify({ ...r, implemented: check !== undefined, ...impl }, null, 2)}\n`);
    return 0;
  }
  const c = r.controls;
  io.stdout(
    [
      `${r.id}: ${r.title}`,
      `section ${r.section} (${SECTION_TITLES[r.section] ?? ''}), severity ${r.severity}, ${r.kind}, profile ${r.profile}, modes ${r.modes.join(', ') || '-'}`,
      r.expect ? `\nExpected: ${r.expect}` : '',
      check ? `\nRemediation: ${check.remediation}` : '\nNot implemented in this version.',
      check ? `Reads: ${check.needs.join(', ') || 'attestations only'}` : '',
      check?.fix ? `Fix (${check.fix.risk}): ${check.fix.steps.map(describeStep).join('; ')}` : '',
      `\nISO 27001:2013 ${c['iso27001:2013'].join(', ') || '-'}; ISO 27001:2022 ${c['iso27001:2022'].join(', ') || '-'}; GDPR ${c.gdpr.join(', ') || '-'}`,
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n',
  );
  return 0;
}

function describeStep(s: RecipeStep): string {
  switch (s.kind) {
    case 'set-directive':
      return `${s.service}: ${s.section ? `[${s.section}] ` : ''}${s.directive} ${s.value}`;
    case 'ensure-line':
      return `${s.path}: "${s.line}"`;
    case 'file-mode':
      return `${s.path} mode ${s.mode}${s.owner ? ` owner ${s.owner}${s.group ? `:${s.group}` : ''}` : ''}`;
    case 'tighten-modes':
      return `the files it names: mode bits beyond ${s.keep}${s.keepExecutable ? ` (listed executables ${s.keepExecutable})` : ''} removed`;
    case 'command':
      return `${s.argv.join(' ')} (${s.purpose})`;
  }
}

export function schema(argv: string[], io: Io): number {
  const which = argv[0] ?? 'report';
  if (which === 'report') io.stdout(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
  else if (which === 'config') io.stdout(`${JSON.stringify(z.toJSONSchema(ConfigSchema, { io: 'input' }), null, 2)}\n`);
  else throw new UsageError('usage: rampart schema [report|config]');
  return 0;
}

export const requirementsCommand = defineCommand({
  name: 'requirements',
  summary: 'list the catalog of requirements',
  usage: ['requirements [--format text|json]'],
  options: REQUIREMENTS_OPTIONS,
  examples: [
    { cmd: 'rampart requirements', what: 'the catalog as a table' },
    { cmd: 'rampart requirements --format json', what: 'the catalog as JSON, remediation included' },
  ],
  run: (args, io) => requirements(args, io),
});

export const explainCommand = defineCommand({
  name: 'explain',
  summary: 'one requirement in full',
  usage: ['explain ID [--format text|json]'],
  options: EXPLAIN_OPTIONS,
  positionals: [{ name: 'ID', help: 'a requirement id (rampart requirements lists them)' }],
  examples: [
    { cmd: 'rampart explain ssh.root-login-disabled', what: 'what the requirement asks and how to mend it' },
    { cmd: 'rampart explain ssh.root-login-disabled --format json', what: 'the same as JSON' },
  ],
  run: (args, io) => explain(args, io),
});

export const schemaCommand = defineCommand({
  name: 'schema',
  summary: 'print the JSON Schema of the report (or of the config file)',
  usage: ['schema [report|config]'],
  options: {},
  positionals: [{ name: 'WHICH', help: 'report (default) or config', optional: true }],
  examples: [
    { cmd: 'rampart schema', what: 'the JSON Schema of rampart audit --format json' },
    { cmd: 'rampart schema config', what: 'the JSON Schema of /etc/rampart/config.yaml' },
  ],
  run: ({ positionals }, io) => schema(positionals, io),
});
