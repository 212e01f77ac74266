import type { Config } from '../config/schema.js';
import type { Profile, RequirementSpec } from '../catalog/types.js';
import { REQUIREMENTS } from '../catalog/requirements.js';
import type { Fact } from '../facts/fact.js';
import type { FactKey, FactValues } from '../facts/index.js';
import type { Recipe } from './recipe.js';
import type { Verdict } from './verdict.js';

export interface EvalContext {
  /** The snapshot's collection time (or --now): checks never read the clock. */
  now: Date;
  profile: Profile;
  config: Config;
  /** Whether the facts came from a live host. */
  live: boolean;
}

/** The facts a check gets: the values of what it needs, and the whole Fact (collected, absent, failed) of what it needs optionally. */
export type CheckFacts<K extends FactKey, O extends K = never> = Pick<FactValues, Exclude<K, O>> & { [P in O]: Fact<FactValues[P]> };

export interface CheckDefinition<K extends FactKey, O extends K = never> {
  id: string;
  /** What to do about a failure, in one or two sentences. */
  remediation: string;
  /** The same as data, for `rampart fix` (src/checks/recipe.ts); only where a fix can be applied. */
  fix?: Recipe;
  /** Fact families the check reads. A failed one makes the result `unknown` without calling evaluate. */
  needs: readonly K[];
  /**
   * Optional: what an absent fact means (default: `na` with the collector's reason). A firewall that
   * is absent is a failure, not "not applicable".
   */
  onAbsent?: Partial<Record<K, (reason: string) => Verdict>>;
  /**
   * Of `needs`, the families the check judges itself when they are absent or failed (a second family
   * that only adds to the verdict: log.security-events counts the fail2ban jail when fail2ban is
   * there). evaluate gets them as the Fact, not its value.
   */
  optional?: readonly O[];
  evaluate(facts: CheckFacts<K, NoInfer<O>>, ctx: EvalContext): Verdict;
}

export interface Check extends RequirementSpec {
  remediation: string;
  fix?: Recipe;
  needs: readonly FactKey[];
  onAbsent: Partial<Record<FactKey, (reason: string) => Verdict>>;
  /** Needs passed as the Fact itself (see CheckDefinition.optional). */
  optional: readonly FactKey[];
  /** `facts` holds the value of each need, and the Fact of each optional one. */
  evaluate(facts: Partial<Record<FactKey, unknown>>, ctx: EvalContext): Verdict;
}

const SPEC_BY_ID = new Map(REQUIREMENTS.map((r) => [r.id, r]));

/**
 * Declares the check for one requirement id. Section, title, severity, kind, profile, modes and
 * controls come from the catalog (src/catalog/requirements.ts), so they are stated once.
 */
export function defineCheck<K extends FactKey, O extends K = never>(def: CheckDefinition<K, O>): Check {
  const spec = SPEC_BY_ID.get(def.id);
  if (!spec) throw new Error(`defineCheck: ${def.id} is not a requirement id of the catalog`);
  return {
    ...spec,
    remediation: def.remediation,
    ...(def.fix ? { fix: def.fix } : {}),
    needs: def.needs,
    onAbsent: def.onAbsent ?? {},
    optional: def.optional ?? [],
    evaluate: (facts, ctx) => def.evaluate(facts as CheckFacts<K, O>, ctx),
  };
}
