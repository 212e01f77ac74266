import { z } from 'zod';
import { REQUIREMENTS } from '../catalog/requirements.js';
import { parseCidr } from '../util/ip.js';

/** Days; every time-based verdict reads its period here (DESIGN.md, Configuration). */
const Periods = z
  .object({
    inactive_account: z.number().int().positive().default(90),
    password_rotation: z.number().int().positive().default(180),
    cert_min_validity: z.number().int().positive().default(14),
    restore_test: z.number().int().positive().default(92),
    vulnerability_scan: z.number().int().positive().default(31),
    image_scan: z.number().int().positive().default(31),
    signoff: z.number().int().positive().default(90),
    package_lists_stale: z.number().int().positive().default(7),
    attestation_default: z.number().int().positive().default(90),
  })
  .strict();

const Port = z
  .string()
  .regex(/^\d{1,5}(-\d{1,5})?\/(tcp|udp)$/, 'expected PORT/tcp, PORT/udp or FIRST-LAST/tcp')
  .refine((p) => {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?\//.exec(p);
    if (!m) return true; // the regex above reports it
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    return first >= 1 && last <= 65535 && first <= last;
  }, 'a port is 1–65535 (and FIRST ≤ LAST in a range)');
const Cidr = z
  .string()
  .regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'expected an address or CIDR range')
  .refine(
    (c) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(c) || parseCidr(c) !== null,
    'not an IPv4/IPv6 address or CIDR range (octets 0–255, prefix ≤ 32 or 128)',
  );
const AbsPath = z.string().startsWith('/', 'expected an absolute path');

const Credentials = z.object({ url: z.string().nullable().default(null), password_file: AbsPath.nullable().default(null) }).strict();

const REQUIREMENT_IDS = new Set(REQUIREMENTS.map((r) => r.id));

/** A calendar date YYYY-MM-DD; a waiver's expiry is inclusive and read in UTC. */
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD (the last day the waiver holds, UTC)')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !/^\d{4}-\d{2}-\d{2}$/.test(s) || (!Number.isNaN(d.getTime()) && d.toISOString().startsWith(s));
  }, 'not a calendar date');

const NonEmpty = z.string().trim().min(1, 'must not be empty');

/**
 * A waiver (README, Waivers): accepts the failure of one requirement, optionally only on some hosts,
 * paths or services, with a reason, an approver and an inclusive expiry date.
 */
const Waiver = z
  .object({
    id: z.string().refine((id) => REQUIREMENT_IDS.has(id), {
      error: (iss) => `unknown requirement id "${String(iss.input)}" (rampart requirements lists them)`,
    }),
    reason: z
      .string({ error: (iss) => (iss.input === undefined ? 'a waiver needs a reason' : 'expected a string') })
      .trim()
      .min(1, 'a waiver needs a reason'),
    approved_by: NonEmpty.optional(),
    expires: IsoDate.optional(),
    scope: z
      .object({
        /** Glob over a finding's path: `*`, `?`, `[…]` within one path component, `**` across components. */
        path: NonEmpty.startsWith('/', 'expected an absolute path glob').optional(),
        /** A service name (glob) as named by a finding's command, message or excerpt. */
        service: NonEmpty.optional(),
        /** Glob over the audited target's name. */
        host: NonEmpty.optional(),
      })
      .strict()
      .optional(),
    /** false: the check is not run at all while the waiver holds (reported `waived`, evidence "not run, waived"). */
    run_check: z.boolean().default(true),
    /** Set by Rampart when it reads the config file (where the waiver is written); not written by hand. */
    source: z.object({ path: z.string(), line: z.number().int() }).strict().optional(),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (!w.run_check && (w.scope?.path !== undefined || w.scope?.service !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['run_check'],
        message: 'run_check: false cannot be combined with a path or service scope (those match the findings of a run)',
      });
    }
  });

export type Waiver = z.output<typeof Waiver>;

const Signer = z.object({ name: z.string(), public_key: z.string() }).strict();

export const ConfigSchema = z
  .object({
    app_dirs: z.array(AbsPath).default(['/app']),
    app_executables: z.array(AbsPath).default([]),
    compose_search_dirs: z.array(AbsPath).default(['/app', '/opt', '/srv']),
    compose_files: z.array(AbsPath).default([]),
    admin_users: z.array(z.string()).default([]),
    admin_groups: z.array(z.string()).default([]),
    allowed_ports: z.array(Port).default(['22/tcp', '80/tcp', '443/tcp']),
    ssh_admin_sources: z.array(Cidr).default([]),
    pg_app_servers: z.array(Cidr).default([]),
    redis_internal_addresses: z.array(z.string()).default([]),
    backup_dirs: z.array(AbsPath).default([]),
    services: z.array(z.string()).default(['postgres', 'redis-server', 'uvicorn']),
    postgres: Credentials.default({ url: null, password_file: null }),
    redis: Credentials.default({ url: null, password_file: null }),
    docker_host: z.string().default('unix:///var/run/docker.sock'),
    periods: Periods.default(Periods.parse({})),
    waivers: z.array(Waiver).default([]),
    signers: z.array(Signer).default([]),
  })
  .strict();

export type Config = z.output<typeof ConfigSchema>;

export const DEFAULT_CONFIG: Config = ConfigSchema.parse({});

export interface ConfigIssue {
  path: string;
  message: string;
  /** For unknown keys: the first offending key, so its line can be named. */
  key?: string;
}

/** Validates parsed YAML; unknown keys are errors naming the key. */
export function validateConfig(data: unknown): { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] } {
  const r = ConfigSchema.safeParse(data ?? {});
  if (r.success) return { ok: true, config: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i) => {
      const path = i.path.map(String).join('.');
      if (i.code === 'unrecognized_keys') {
        const keys = i.keys.join(', ');
        return { path: path || '(top level)', message: `unknown key${i.keys.length > 1 ? 's' : ''}: ${keys}`, key: i.keys[0]! };
      }
      return { path: path || '(top level)', message: i.message };
    }),
  };
}
