import { absent, collected, failed, type Fact } from '../facts/fact.js';
import type { StateFactValues } from '../facts/index.js';
import { StoreError } from './history.js';
import { loadAttestationFacts, loadSignoffFacts } from './attestations.js';

/** The state facts of one target: attestations and sign-offs, each collected, absent or failed. */
export type StateFacts = { [K in keyof StateFactValues]: Fact<StateFactValues[K]> };

/** Where state facts are read: the state directory, and whether the user chose it (--state-dir, RAMPART_STATE_DIR). */
export interface StateSource {
  dir: string;
  explicit: boolean;
}

/** The target's attestations and sign-offs in `stateDir`; an unreadable store makes the fact failed. */
export function stateFacts(stateDir: string, target: string): StateFacts {
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

/**
 * Attestations and sign-offs of the target from the state directory. An unreadable default directory
 * (an unprivileged run) makes them absent (attestation requirements stay manual); a directory the user
 * chose must be readable (else the facts are failed: unknown).
 */
export function loadStateFacts(source: StateSource, target: string): StateFacts {
  const f = stateFacts(source.dir, target);
  if (source.explicit) return f;
  const why = (reason: string) => `not readable in the default state directory (${reason}); --state-dir DIR chooses another`;
  return {
    attestations: f.attestations.state === 'failed' ? absent(`attestations ${why(f.attestations.reason)}`) : f.attestations,
    signoffs: f.signoffs.state === 'failed' ? absent(`sign-offs ${why(f.signoffs.reason)}`) : f.signoffs,
  };
}
