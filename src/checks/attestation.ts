import { defineCheck, type Check } from './define.js';
import { manual } from './verdict.js';

/** A process requirement that no host state can prove: `manual` until a person attests it. */
export function attestationCheck(id: string, what: string): Check {
  return defineCheck({
    id,
    remediation: `${what} Then record it: rampart attest ${id} --status pass --by NAME.`,
    needs: [],
    evaluate: () => manual(`Needs an attestation: no host state shows this (${what.replace(/\.$/, '')})`),
  });
}
