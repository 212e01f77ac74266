import { defineCheck } from '../define.js';
import { fail, pass, unknown, type Evidence } from '../verdict.js';
import { verifySignature } from '../../sign/signoff.js';
import type { ChecklistBoxState } from '../../sign/checklist-boxes.js';

const DAY_MS = 86_400_000;
const ID = 'docs.signed-checklist';

interface Verified {
  name: string;
  role: string | null;
  kind: string;
  signedAt: string;
  signed: number;
  age: number;
  file: string;
  boxes: ChecklistBoxState[] | null;
  boxesError: string | null;
}

/** The box that only this requirement decides ("Document security configuration") cannot be ticked before its own sign-off. */
const isSelf = (b: ChecklistBoxState) => b.requirements.length > 0 && b.requirements.every((r) => r === ID);

/**
 * Section 10: a signed-off checklist for this host, younger than periods.signoff days (at `now`), whose
 * Ed25519 signature verifies with a public key of the config's `signers`. The sign-offs come from the
 * state directory (`signoffs` facts, loaded by the CLI), every box of it ticked when it was signed (the
 * copy of the checklist kept beside the sign-off; the box this requirement itself decides excepted).
 * A signed report, or a checklist whose boxes are not kept, is `unknown`: completion is not seen.
 */
export default defineCheck({
  id: ID,
  remediation:
    "Render the checklist (rampart checklist --format json -o checklist.json), sign it (rampart signoff checklist.json --key KEY.pem --by NAME --role ROLE) and list the signer's public key under signers: in the config.",
  needs: ['signoffs'],
  onAbsent: { signoffs: (reason) => unknown(`No sign-offs could be read: ${reason}`) },
  evaluate({ signoffs: s }, ctx) {
    const limit = ctx.config.periods.signoff;
    const findings: Evidence[] = [];
    const verified: Verified[] = [];
    for (const so of s.signoffs) {
      if (so.doc === null) {
        findings.push({ path: so.file, message: `not a usable sign-off: ${so.error ?? 'unreadable'}` });
        continue;
      }
      const env = so.doc.signoff;
      const signed = Date.parse(env.signedAt);
      const age = Math.floor((ctx.now.getTime() - signed) / DAY_MS);
      const v = verifySignature(so.doc, ctx.config.signers);
      const what = `${env.document.kind} ${env.document.file} signed by ${env.signer.name}${env.signer.role ? ` (${env.signer.role})` : ''} at ${env.signedAt}`;
      if (env.host !== s.target) findings.push({ path: so.file, message: `${what}: for host "${env.host}", not "${s.target}"` });
      else if (!v.ok) findings.push({ path: so.file, message: `${what}: ${v.reason}` });
      else if (signed > ctx.now.getTime())
        findings.push({ path: so.file, message: `${what}: signed after the evaluation time, not counted` });
      else {
        findings.push({ path: so.file, message: `${what}: signature verifies, ${age} days old` });
        verified.push({
          name: env.signer.name,
          role: env.signer.role,
          kind: env.document.kind,
          signedAt: env.signedAt,
          signed,
          age,
          file: so.file,
          boxes: so.boxes ?? null,
          boxesError: so.boxesError ?? null,
        });
      }
    }
    if (s.signoffs.length === 0)
      return fail(`No sign-off for ${s.target} in the state directory`, { note: s.store, message: `no signed checklist in ${s.store}` });
    const newest = (xs: Verified[]) => xs.reduce<Verified | null>((b, x) => (b === null || x.signed > b.signed ? x : b), null);
    const best = newest(verified.filter((x) => x.kind === 'checklist')) ?? newest(verified);
    if (best === null)
      return fail(
        `None of the ${s.signoffs.length} sign-off(s) of ${s.target} verifies (${ctx.config.signers.length} trusted signer(s) configured)`,
        findings,
      );
    const who = `${best.name}${best.role ? ` (${best.role})` : ''}`;
    if (best.age > limit)
      return fail(
        `The last verified sign-off (${best.kind}, by ${who}) is ${best.age} days old: older than ${limit} days (periods.signoff)`,
        findings,
      );
    const signedOff = `signed off by ${who} on ${best.signedAt.slice(0, 10)}, ${best.age} days ago (limit ${limit}); the signature verifies`;
    // The guide asks for a checklist completed AND signed off: a signature alone proves only the second.
    if (best.kind !== 'checklist')
      return unknown(`A ${best.kind} was ${signedOff}, but no signed checklist: whether the checklist was completed is not seen`, findings);
    if (best.boxes === null)
      return unknown(
        `The checklist was ${signedOff}, but its boxes are not seen: ${best.boxesError ?? 'no copy of the signed checklist'}`,
        findings,
      );
    const counted = best.boxes.filter((b) => !isSelf(b));
    const open = counted.filter((b) => !b.ticked);
    const boxEvidence = open.map((b) => ({ path: best.file, message: `unticked when signed: ${b.id ? `${b.id} ` : ''}"${b.text}"` }));
    if (counted.length === 0) return unknown(`The checklist was ${signedOff}, but it holds no box to judge`, findings);
    if (open.length > 0)
      return fail(
        `The checklist was ${signedOff}, but ${open.length} of ${counted.length} boxes are unticked: ${open.map((b) => `"${b.text}"`).join(', ')}`,
        [...boxEvidence, ...findings],
      );
    return pass(
      `The checklist was ${signedOff}, with all ${counted.length} boxes ticked${counted.length < best.boxes.length ? ' (the box this sign-off itself decides not counted)' : ''}`,
      findings,
    );
  },
});
