import type { Checklist, Phase } from '../evaluate/checklist.js';
import { mdCode, mdText } from './escape.js';

export const PHASE_TITLES: Record<Phase, string> = { pre: 'Pre-deployment', post: 'Post-deployment' };

/** Markdown: `- [x] Verify firewall rules are configured correctly`, the evidence indented under each box. */
export function renderChecklistMarkdown(c: Checklist): string {
  const out: string[] = [
    `# Security checklist: ${mdText(c.target.name)}`,
    '',
    `<!-- rampart-checklist host="${encodeURIComponent(c.target.name)}" collectedAt="${encodeURIComponent(c.collectedAt)}" -->`,
    '',
    `Rampart ${mdText(c.tool.version)}, profile ${c.profile}, facts collected ${c.collectedAt}, evaluated at ${c.evaluatedAt}. A box is ticked when none of its requirements fails and the audit decides all of them, or the box itself is attested for what it cannot decide.`,
  ];
  for (const p of c.phases) {
    out.push('', `## ${PHASE_TITLES[p.phase]}`, '');
    for (const i of p.items) {
      out.push(`- [${i.ticked ? 'x' : ' '}] ${mdText(i.text)}`);
      if (i.note) out.push(`  - *${mdText(i.note)}*`);
      out.push(`  - ${i.ticked ? 'ticked' : 'not ticked'}: ${mdText(i.reason)} (${mdCode(i.id)})`);
      for (const r of i.requirements) out.push(`  - ${r.status} ${mdCode(r.id)}: ${mdText(r.summary)}`);
      const a = i.attestation;
      if (a) {
        const extra = [a.note !== null ? `note: ${a.note}` : null, a.evidence !== null ? `evidence: ${a.evidence}` : null]
          .filter((s) => s !== null)
          .join('; ');
        out.push(
          `  - attestation: ${a.status} by ${mdText(a.by)}, dated ${a.date}, until ${a.expires}${a.counts ? '' : ' (does not count now)'}${extra ? `; ${mdText(extra)}` : ''}`,
        );
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/** JSON: the checklist as built (`kind: rampart-checklist`), what `rampart signoff` signs and `rampart verify` reads back. */
export function renderChecklistJson(c: Checklist): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}

export type ChecklistFormat = 'markdown' | 'json';

export function renderChecklist(format: ChecklistFormat, c: Checklist): string {
  return format === 'json' ? renderChecklistJson(c) : renderChecklistMarkdown(c);
}
