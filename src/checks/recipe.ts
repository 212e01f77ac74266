import { z } from 'zod';

/**
 * A check's fix as data (issue 10 §6): what `rampart fix` (issue 12) is to do about a failure, with no
 * remediation logic here. The engine (src/fix/) turns a recipe into a plan of file changes, validations
 * and reloads; the lockout guard looks at the steps first.
 *
 * - `safe`: cannot cut anyone's access nor stop a service (a directive sshd still accepts, a file mode).
 * - `disruptive`: may cut access or restart a service (firewall default deny, password logins off,
 *   a Redis bind): applied only with `--allow-disruptive`, after the lockout proof.
 */
export type RiskTier = 'safe' | 'disruptive';
export const RISK_TIERS: readonly RiskTier[] = ['safe', 'disruptive'];

/**
 * The services whose configuration a recipe may set a directive in. Each has its own file semantics
 * (sshd: first value wins, a drop-in that sorts first; Redis: last value wins; fail2ban: jail.d/*.local)
 * and its own validator (`sshd -t -f`, `fail2ban-client -t`, `visudo -cf`, `nginx -t`, PostgreSQL and
 * Redis parsing the candidate), which the engine owns.
 */
export type ConfigService =
  | 'sshd'
  | 'fail2ban'
  | 'postgresql'
  | 'pg_hba'
  | 'redis'
  | 'journald'
  | 'logrotate'
  | 'auditd'
  | 'apt'
  | 'login.defs'
  | 'pwquality'
  | 'sudoers'
  | 'docker-daemon'
  | 'compose'
  | 'nginx';
export const CONFIG_SERVICES: readonly ConfigService[] = [
  'sshd',
  'fail2ban',
  'postgresql',
  'pg_hba',
  'redis',
  'journald',
  'logrotate',
  'auditd',
  'apt',
  'login.defs',
  'pwquality',
  'sudoers',
  'docker-daemon',
  'compose',
  'nginx',
];

/** Set one directive so that the service's effective value becomes `value` (validated by the service's own checker). */
export interface SetDirectiveStep {
  kind: 'set-directive';
  service: ConfigService;
  directive: string;
  value: string;
  /** A section where the format has them: a fail2ban jail (`sshd`), an INI group. */
  section?: string;
}

/** A line a file must hold (added, or replacing the line that matches `replaces`). */
export interface EnsureLineStep {
  kind: 'ensure-line';
  path: string;
  line: string;
  /** A regular expression (source text) for the line to replace instead of adding one. */
  replaces?: string;
  /** argv of the validator, `{file}` standing for the candidate file (e.g. ['visudo', '-cf', '{file}']). */
  validate?: string[];
}

/** A file's mode (and owner, group). */
export interface FileModeStep {
  kind: 'file-mode';
  path: string;
  /** Octal text, e.g. '0600'. */
  mode: string;
  owner?: string;
  group?: string;
}

/** A command, as argv (never a shell line): a package install, `ufw limit 22/tcp`, `aideinit`. */
export interface CommandStep {
  kind: 'command';
  argv: string[];
  /** Why, in the plan's words. */
  purpose: string;
}

/**
 * The modes of the regular files a failed result names (its findings' paths): the bits outside `keep`
 * are removed, none added; directories, links and other types are left and reported (a mode-only
 * change is applied to files). For requirements whose paths are the host's own (world-writable files).
 */
export interface TightenModesStep {
  kind: 'tighten-modes';
  /** Octal text: the bits a file may keep ('0644'; '07775' removes only the others' write bit). */
  keep: string;
  /** Octal text: what a file the configuration lists in app_executables may keep ('0755'). */
  keepExecutable?: string;
}

export type RecipeStep = SetDirectiveStep | EnsureLineStep | FileModeStep | TightenModesStep | CommandStep;
export type RecipeStepKind = RecipeStep['kind'];

export interface Recipe {
  /** The requirement ids the steps fix: the check's own id first (one sshd drop-in may fix several). */
  fixes: string[];
  risk: RiskTier;
  steps: RecipeStep[];
  /** What the operator should know before applying (optional). */
  note?: string;
}

const AbsPath = z.string().startsWith('/', 'expected an absolute path');
const Argv = z.array(z.string().min(1)).min(1);
const Id = z.string().regex(/^[a-z0-9]+\.[a-z0-9-]+$/, 'expected a requirement id (area.name)');

const StepSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('set-directive'),
      service: z.enum(CONFIG_SERVICES as [ConfigService, ...ConfigService[]]),
      directive: z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'expected a directive name'),
      value: z.string().refine((v) => !/[\r\n]/.test(v), 'a value is one line'),
      section: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('ensure-line'),
      path: AbsPath,
      line: z.string().refine((v) => !/[\r\n]/.test(v), 'one line'),
      replaces: z
        .string()
        .refine((s) => {
          try {
            new RegExp(s);
            return true;
          } catch {
            return false;
          }
        }, 'not a valid regular expression')
        .optional(),
      validate: Argv.refine((a) => a.includes('{file}'), 'a validator names the candidate as {file}').optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('file-mode'),
      path: AbsPath,
      mode: z.string().regex(/^0[0-7]{3,4}$/, 'expected an octal mode such as 0600'),
      owner: z.string().min(1).optional(),
      group: z.string().min(1).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('tighten-modes'),
      keep: z.string().regex(/^0[0-7]{3,4}$/, 'expected an octal mode such as 0644'),
      keepExecutable: z
        .string()
        .regex(/^0[0-7]{3,4}$/, 'expected an octal mode such as 0755')
        .optional(),
    })
    .strict(),
  z.object({ kind: z.literal('command'), argv: Argv, purpose: z.string().min(1) }).strict(),
]);

export const RecipeSchema = z
  .object({
    fixes: z.array(Id).min(1),
    risk: z.enum(RISK_TIERS as [RiskTier, ...RiskTier[]]),
    steps: z.array(StepSchema).min(1),
    note: z.string().min(1).optional(),
  })
  .strict();

// A step kind added to the type and not to the schema fails the type check (test/checks/recipe.test.ts
// parses one recipe of every kind, fields included).
type Accepts<A, B> = [B] extends [A] ? true : false;
const schemaKnowsType: Accepts<z.input<typeof RecipeSchema>, Recipe> = true;
void schemaKnowsType;

/**
 * Problems with the recipe of check `id` (empty when well-formed): the shape, and `fixes` starting with
 * the check's own id and naming only catalog ids.
 */
export function recipeProblems(id: string, recipe: unknown, catalogIds: ReadonlySet<string>): string[] {
  const parsed = RecipeSchema.safeParse(recipe);
  if (!parsed.success) return parsed.error.issues.map((i) => `${id}: fix.${i.path.join('.')}: ${i.message}`);
  const problems: string[] = [];
  if (parsed.data.fixes[0] !== id) problems.push(`${id}: fix.fixes must start with the check's own id`);
  for (const f of parsed.data.fixes) if (!catalogIds.has(f)) problems.push(`${id}: fix.fixes names "${f}", not a requirement id`);
  return problems;
}
