import type { Config } from '../config/schema.js';
import type { Profile, RequirementSpec } from '../catalog/types.js';
import { REQUIREMENTS } from '../catalog/requirements.js';
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

export interface CheckDefinition<K extends FactKey> {
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
  evaluate(facts: Pick<FactValues, K>, ctx: EvalContext): Verdict;
}

export interface Check extends RequirementSpec {
  remediation: string;
  fix?: Recipe;
  needs: readonly FactKey[];
  onAbsent: Partial<Record<FactKey, (reason: string) => Verdict>>;
  evaluate(facts: Partial<FactValues>, ctx: EvalContext): Verdict;
}

const SPEC_BY_ID = new Map(REQUIREMENTS.map((r) => [r.id, r]));

/**
 * Declares the check for one requirement id. Section, title, severity, kind, profile, modes and
 * controls come from the catalog (src/catalog/requirements.ts), so they are stated once.
 */
export function defineCheck<K extends FactKey>(def: CheckDefinition<K>): Check {
  const spec = SPEC_BY_ID.get(def.id);
  if (!spec) throw new Error(`defineCheck: ${def.id} is not a requirement id of the catalog`);
  return {
    ...spec,
    remediation: def.remediation,
    ...(def.fix ? { fix: def.fix } : {}),
    needs: def.needs,
    onAbsent: def.onAbsent ?? {},
    evaluate: (facts, ctx) => def.evaluate(facts as Pick<FactValues, K>, ctx),
  };
}
