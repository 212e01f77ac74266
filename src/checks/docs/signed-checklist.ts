import { defineCheck } from '../define.js';
import { fail, pass, unknown, type Evidence } from '../verdict.js';
import { verifySignature } from '../../sign/signoff.js';

const DAY_MS = 86_400_000;

/**
 * Section 10: a signed-off checklist for this host, younger than periods.signoff days (at `now`), whose
 * Ed25519 signature verifies with a public key of the config's `signers`. The sign-offs come from the
 * state directory (`signoffs` facts, loaded by the CLI); a sign-off of the audit report counts as well.
 */
export default defineCheck({
  id: 'docs.signed-checklist',
  remediation: 'Render the checklist (rampart checklist --format json -o checklist.json), sign it (rampart signoff checklist.json --key KEY.pem --by NAME --role ROLE) and list the signer\'s public key under signers: in the config.',
  needs: ['signoffs'],
  onAbsent: { signoffs: (reason) => unknown(`No sign-offs could be read: ${reason}`) },
  evaluate({ signoffs: s }, ctx) {
    const limit = ctx.config.periods.signoff;
    const findings: Evidence[] = [];
    let best: { name: string; role: string | null; kind: string; signedAt: string; age: number; file: string } | null = null;
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
      else if (signed > ctx.now.getTime()) findings.push({ path: so.file, message: `${what}: signed after the evaluation time, not counted` });
      else {
        findings.push({ path: so.file, message: `${what}: signature verifies, ${age} days old` });
        if (best === null || signed > Date.parse(best.signedAt)) best = { name: env.signer.name, role: env.signer.role, kind: env.document.kind, signedAt: env.signedAt, age, file: so.file };
      }
    }
    if (s.signoffs.length === 0) return fail(`No sign-off for ${s.target} in the state directory`, { note: s.store, message: `no signed checklist in ${s.store}` });
    if (best === null) return fail(`None of the ${s.signoffs.length} sign-off(s) of ${s.target} verifies (${ctx.config.signers.length} trusted signer(s) configured)`, findings);
    const who = `${best.name}${best.role ? ` (${best.role})` : ''}`;
    if (best.age > limit) return fail(`The last verified sign-off (${best.kind}, by ${who}) is ${best.age} days old: older than ${limit} days (periods.signoff)`, findings);
    return pass(`The ${best.kind} was signed off by ${who} on ${best.signedAt.slice(0, 10)}, ${best.age} days ago (limit ${limit}); the signature verifies`, findings);
  },
});
