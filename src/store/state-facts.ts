import { collected, failed, type Fact } from '../facts/fact.js';
import type { AttestationFacts } from '../facts/attestations.js';
import type { SignoffFacts } from '../facts/signoffs.js';
import { defineCollector } from '../collect/types.js';
import { StoreError } from './history.js';
import { loadAttestationFacts, loadSignoffFacts } from './attestations.js';

/**
 * The `attestations` and `signoffs` fact families describe the machine running Rampart (its state
 * directory), not the target: the CLI loads them for the target's name once collection has named it
 * and puts them into the snapshot (so `--facts` replays give the same results). These registry
 * entries only answer when something collects them without the CLI.
 */
export const STATE_FACT_KEYS = ['attestations', 'signoffs'] as const;

export const attestationsCollector = defineCollector({
  key: 'attestations',
  gathers: {},
  collect: () =>
    Promise.resolve(failed<AttestationFacts>('attestations are read from the state directory by the rampart CLI, not from the target')),
});

export const signoffsCollector = defineCollector({
  key: 'signoffs',
  gathers: {},
  collect: () =>
    Promise.resolve(failed<SignoffFacts>('sign-offs are read from the state directory by the rampart CLI, not from the target')),
});

export function stateFacts(stateDir: string, target: string): { attestations: Fact<AttestationFacts>; signoffs: Fact<SignoffFacts> } {
  const guard = <T>(fn: () => T): Fact<T> => {
    try {
      return collected(fn());
    } catch (e) {
      if (e instanceof StoreError) return failed(e.message);
      throw e;
    }
  };
  return { attestations: guard(() => loadAttestationFacts(stateDir, target)), signoffs: guard(() => loadSignoffFacts(stateDir, target)) };
}
