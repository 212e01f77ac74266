import { CHECKLIST, REQUIREMENTS } from '../../catalog/requirements.js';
import { isAttestationExpired, parseDay } from '../../checks/attestation.js';
import type { Attestation } from '../../facts/attestations.js';
import { currentAttestations, readAllAttestations, recordAttestation } from '../../store/attestations.js';
import { StoreError } from '../../store/history.js';
import { resolveStateDir } from '../../store/state-dir.js';
import { FsTarget } from '../../target/fs-target.js';
import { printable } from '../../report/text.js';
import { clockOf } from '../clock.js';
import { loadConfig } from '../config-load.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { defineCommand, type Args, type OptionSpec } from '../spec.js';
import { thisHostName } from '../this-host.js';

const DAY_MS = 86_400_000;

/** Checklist boxes by id: checklist.pre.N / checklist.post.N, 1-based in CHECKLIST order. */
export function checklistBoxIds(): string[] {
  return [...CHECKLIST.pre.map((_, i) => `checklist.pre.${i + 1}`), ...CHECKLIST.post.map((_, i) => `checklist.post.${i + 1}`)];
}

/** Why an id cannot be attested, or null when it can. */
export function refuseId(id: string): string | null {
  if (checklistBoxIds().includes(id)) return null;
  const r = REQUIREMENTS.find((x) => x.id === id);
  if (!r) {
    if (/^checklist\.(pre|post)\.\d+$/.test(id))
      return `${id} is not a checklist box (checklist.pre.1–${CHECKLIST.pre.length}, checklist.post.1–${CHECKLIST.post.length})`;
    return `unknown id "${id}": neither a requirement (rampart requirements lists them) nor a checklist box (checklist.pre.N, checklist.post.N)`;
  }
  if (r.kind === 'automated')
    return `${id} is an automated requirement: the audit decides it from the host, an attestation cannot (a waiver in the config accepts a failure)`;
  return null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(s: string): boolean {
  return DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function parseExpiry(spec: string | undefined, date: string, defaultDays: number): string {
  if (spec === undefined) return day(parseDay(date) + defaultDays * DAY_MS);
  const m = /^(\d+)d$/.exec(spec);
  if (m) {
    const n = Number(m[1]);
    if (n < 1) throw new UsageError('--expires takes a positive number of days (90d) or a date');
    return day(parseDay(date) + n * DAY_MS);
  }
  if (!isDate(spec)) throw new UsageError(`--expires: "${spec}" is neither a number of days (90d) nor a date YYYY-MM-DD`);
  if (spec < date) throw new UsageError(`--expires ${spec} is before --date ${date}`);
  return spec;
}

function line(a: Attestation, now: Date): string {
  const state = isAttestationExpired(a, now) ? `EXPIRED ${a.expires}` : `until ${a.expires}`;
  const extra = [a.note !== null ? `note: ${a.note}` : null, a.evidence !== null ? `evidence: ${a.evidence}` : null].filter(
    (s) => s !== null,
  );
  return printable(
    `  ${a.id.padEnd(32)} ${a.status.padEnd(4)}  ${a.date}  by ${a.by}  (${state})${extra.length ? `  ${extra.join('; ')}` : ''}`,
  );
}

/**
 * `rampart attest ID --status pass|fail --by NAME [--date D] [--note T] [--evidence URL] [--expires 90d|D] [--target NAME] [--now T]`
 * records a person's answer; `rampart attest --list [--target NAME] [--all] [--format text|json]` shows them.
 */
const ATTEST_OPTIONS = {
  status: { type: 'string', arg: 'STATUS', help: 'the answer', choices: ['pass', 'fail'] },
  by: { type: 'string', arg: 'NAME', help: 'who answers' },
  date: { type: 'string', arg: 'YYYY-MM-DD', help: 'when it was checked (default today)' },
  note: { type: 'string', arg: 'TEXT', help: 'a note kept with the answer' },
  evidence: { type: 'string', arg: 'URL', help: 'where the evidence is' },
  expires: { type: 'string', arg: '90d|YYYY-MM-DD', help: 'when the answer must be given again' },
  target: { type: 'string', arg: 'NAME', help: 'the target the answer is for (default this host)' },
  list: { type: 'boolean', default: false, help: 'list the recorded attestations' },
  all: { type: 'boolean', default: false, help: 'with --list: superseded ones too' },
  format: { type: 'string', default: 'text', arg: 'FORMAT', help: 'with --list: text or json', choices: ['text', 'json'] },
  config: { type: 'string', arg: 'FILE', help: 'the config file' },
  'state-dir': { type: 'string', arg: 'DIR', help: 'state directory (default $RAMPART_STATE_DIR, else /var/lib/rampart)' },
  now: { type: 'string', arg: 'ISO-DATE', help: 'the time to record (else $RAMPART_NOW, else the real clock)' },
} as const satisfies Record<string, OptionSpec>;

export async function attest(args: Args<typeof ATTEST_OPTIONS>, io: Io): Promise<number> {
  const { values, positionals } = args;
  const { dir } = resolveStateDir(values['state-dir'], io.env, io.cwd);
  const { now } = clockOf(io, values.now);
  try {
    if (values.list) {
      if (positionals.length > 0) throw new UsageError('attest --list takes no id');
      if (values.format !== 'text' && values.format !== 'json') throw new UsageError('--format must be text or json');
      const all = readAllAttestations(dir);
      const shown = values.all
        ? all.filter((a) => values.target === undefined || a.target === values.target)
        : currentAttestations(all, values.target ?? null);
      if (values.format === 'json') {
        io.stdout(
          `${JSON.stringify(
            shown.map((a) => ({ ...a, expired: isAttestationExpired(a, now) })),
            null,
            2,
          )}\n`,
        );
        return 0;
      }
      if (shown.length === 0) {
        io.stdout(`No attestations${values.target !== undefined ? ` of ${values.target}` : ''} in ${dir}.\n`);
        return 0;
      }
      const out: string[] = [];
      for (const t of [...new Set(shown.map((a) => a.target))])
        out.push(printable(t), ...shown.filter((a) => a.target === t).map((a) => line(a, now)));
      io.stdout(`${out.join('\n')}\n`);
      return 0;
    }

    if (positionals.length !== 1) throw new UsageError('attest takes one id: rampart attest ID --status pass|fail --by NAME (or --list)');
    const id = positionals[0]!;
    const why = refuseId(id);
    if (why !== null) throw new UsageError(why);
    if (values.status !== 'pass' && values.status !== 'fail') throw new UsageError('--status pass or --status fail is required');
    const by = values.by?.trim();
    if (!by) throw new UsageError('--by NAME is required: who answers for it');
    const today = day(now.getTime());
    const date = values.date ?? today;
    if (!isDate(date)) throw new UsageError(`--date: "${date}" is not a date YYYY-MM-DD`);
    if (date > today) throw new UsageError(`--date ${date} is in the future: it is the date of the attested event`);
    const config = await loadConfig(io, values.config, values.config === undefined ? new FsTarget({ name: thisHostName() }) : null);
    const expires = parseExpiry(values.expires, date, config.periods.attestation_default);
    if (expires < today)
      throw new UsageError(`the attestation would already have expired (${expires}): give a later --expires or a later --date`);
    const a: Attestation = {
      target: values.target ?? thisHostName(),
      id,
      status: values.status,
      by,
      date,
      expires,
      note: values.note ?? null,
      evidence: values.evidence ?? null,
      recordedAt: now.toISOString(),
    };
    recordAttestation(dir, a);
    io.stdout(
      printable(`Recorded: ${a.id} ${a.status} for ${a.target} by ${a.by}, dated ${a.date}, holds until ${a.expires} (inclusive, UTC)`) +
        '\n',
    );
    return 0;
  } catch (e) {
    if (e instanceof StoreError) throw new UsageError(e.message);
    throw e;
  }
}

export const attestCommand = defineCommand({
  name: 'attest',
  summary: "record a person's answer for an attestation/evidence requirement or a checklist box",
  usage: [
    'attest ID --status pass|fail --by NAME [--date YYYY-MM-DD] [--note TEXT] [--evidence URL] [--expires 90d|YYYY-MM-DD]',
    'attest --list [--target NAME] [--all] [--format text|json]',
  ],
  options: ATTEST_OPTIONS,
  positionals: [{ name: 'ID', help: 'a requirement id or a checklist box (checklist.pre.N, checklist.post.N)', optional: true }],
  examples: [
    {
      cmd: 'rampart attest patch.weekly-review --status pass --by "A. Admin" --evidence https://wiki.example/patching',
      what: 'record a pass',
    },
    { cmd: 'rampart attest checklist.pre.3 --status pass --by ops --expires 90d', what: 'tick a checklist box for 90 days' },
    { cmd: 'rampart attest --list --format json', what: 'the recorded attestations' },
  ],
  run: (args, io) => attest(args, io),
});
